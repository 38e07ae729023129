import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { TenantQuery } from '../agreement/agreement.controller';
import { CrmErrorFilter } from '../crm-error.filter';
import { KpiQueryService } from './kpi-query.service';
import { KPI_NAMES, KPI_PERIODS } from './kpi.definitions';
import { KpiService } from './kpi.service';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class KpiValuesQuery {
  @ApiPropertyOptional({ enum: KPI_PERIODS, default: 'month' })
  @IsOptional()
  @IsIn(KPI_PERIODS)
  period?: string;
  @ApiPropertyOptional({ description: 'First period start (default: a year ago)', example: '2026-01-01' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be YYYY-MM-DD' })
  from?: string;
  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be YYYY-MM-DD' })
  to?: string;
  @ApiPropertyOptional({ enum: KPI_NAMES }) @IsOptional() @IsIn(KPI_NAMES) kpi?: string;
}

export class KpiRecordsQuery {
  @ApiPropertyOptional({ enum: KPI_PERIODS, default: 'month' })
  @IsOptional()
  @IsIn(KPI_PERIODS)
  period?: string;
  @ApiPropertyOptional({ description: 'First day of the period', example: '2026-11-01' })
  @IsOptional()
  @Matches(DATE, { message: 'start must be YYYY-MM-DD' })
  start?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class TierKpiQuery extends TenantQuery {
  @ApiPropertyOptional({ enum: KPI_PERIODS, default: 'month' })
  @IsOptional()
  @IsIn(KPI_PERIODS)
  period?: string;
  @ApiPropertyOptional({ example: '2026-11-01' })
  @IsOptional()
  @Matches(DATE, { message: 'start must be YYYY-MM-DD' })
  start?: string;
}

export class TierParam {
  @IsString() @MaxLength(50) tier: string;
}

@ApiTags('service KPIs')
@Controller()
@UseFilters(CrmErrorFilter)
export class KpiController {
  constructor(
    private readonly query: KpiQueryService,
    private readonly kpis: KpiService,
  ) {}

  @Get('kpis/definitions')
  @ApiOperation({ summary: 'What each KPI counts, its unit, direction and default target' })
  definitions() {
    return this.query.definitions();
  }

  @Get('customers/:id/kpis')
  @ApiOperation({
    summary: "A customer's KPI values per period with its agreement's targets",
    description: 'Each value links to its drill-down: the exact records it was computed from.',
  })
  ofCustomer(@Param('id', ParseUUIDPipe) id: string, @Query() q: KpiValuesQuery) {
    return this.query.ofCustomer(id, q);
  }

  @Get('customers/:id/kpis/:kpi/records')
  @ApiOperation({ summary: 'Drill-down: exactly the records one KPI value was computed from' })
  records(@Param('id', ParseUUIDPipe) id: string, @Param('kpi') kpi: string, @Query() q: KpiRecordsQuery) {
    return this.query.records(id, kpi, q);
  }

  @Get('customers/:id/scorecard')
  @ApiOperation({
    summary: 'The KPI scorecard shared with the customer (403 unless its agreement shares it)',
  })
  scorecard(@Param('id', ParseUUIDPipe) id: string, @Query() q: KpiValuesQuery) {
    return this.query.scorecard(id, q);
  }

  @Get('kpis/tiers/:tier')
  @ApiOperation({ summary: "A tier's KPIs for one period over all its customers' records" })
  ofTier(@Param() p: TierParam, @Query() q: TierKpiQuery) {
    return this.query.ofTier(q.tenant ?? 'default', p.tier, q);
  }

  @Post('kpis/refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Refresh KPIs of changed records now (the worker does it every CRM_KPI_REFRESH_SECONDS)',
  })
  async refresh() {
    return (await this.kpis.drain({ wait: true })) ?? { subjects: 0, missed: 0 };
  }

  @Post('kpis/recompute')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Derive every KPI fact of a tenant again and recompute all values (after a bulk load)',
  })
  recompute(@Query() q: TenantQuery) {
    return this.kpis.recomputeAll(q.tenant ?? 'default');
  }
}
