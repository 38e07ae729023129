import {
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UseFilters,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, AppErrorFilter, queryBoolean, requestTenant } from '@tradelane/http';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { KPI_NAMES, KPI_PERIODS } from '../context/kpi-catalogue';
import { TenantQuery } from '../context/page.dto';
import { KpiQueryService } from './kpi-query.service';
import { KpiRecomputeService } from './kpi-recompute.service';
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

export class RecomputeQuery extends TenantQuery {
  @ApiPropertyOptional({
    default: false,
    description: 'Answer when it is done (200) instead of at once (202)',
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'wait must be true or false' })
  wait?: boolean;
}

export class KpiRecomputeDto {
  @ApiProperty({ format: 'uuid', description: 'Job id' }) id: string;
  @ApiProperty({ example: 'default', description: 'Tenant recomputed' }) tenant: string;
  @ApiProperty({ enum: ['running', 'done', 'failed'], description: 'Job state' }) state: string;
  @ApiProperty({ example: 'facts:delivery', description: 'What it is doing: facts:<kind>, values, done' })
  phase: string;
  @ApiProperty({ description: 'Steps done' }) step: number;
  @ApiProperty({ description: 'Steps in all (one per record kind, then the values)' }) steps: number;
  @ApiProperty({ description: 'Facts derived so far' }) facts: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'KPI values when done' }) values:
    number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Targets newly missed (announced once)' })
  missed: number | null;
  @ApiProperty({
    description: 'Changed records the incremental refresh had not done yet, covered by this recompute',
  })
  takenOver: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why it failed' }) error: string | null;
  @ApiProperty({ description: 'Started' }) startedAt: Date;
  @ApiProperty({ description: 'Last progress' }) updatedAt: Date;
  @ApiPropertyOptional({ type: Date, nullable: true, description: 'Finished (done or failed)' })
  finishedAt: Date | null;
}

export class KpiValueDto {
  @ApiProperty({ enum: KPI_NAMES, description: 'Which KPI' }) kpi: string;
  @ApiProperty({ enum: KPI_PERIODS, description: 'Period length' }) period: string;
  @ApiProperty({ description: 'First day of the period (YYYY-MM-DD)' }) periodStart: string;
  @ApiProperty({ description: 'Records counted' }) n: number;
  @ApiProperty({ description: 'Records that met the KPI (hits)' }) hits: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The value: a share (0..1) or hours' })
  value: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: '90th percentile (hour KPIs)' })
  p90: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: "The agreement's target" })
  target: number | null;
  @ApiPropertyOptional({ type: Boolean, nullable: true, description: 'Target met (null: no target)' })
  met: boolean | null;
  @ApiProperty({ enum: ['share', 'hours'], description: 'Unit of value and target' }) unit: string;
  @ApiProperty({ enum: ['at-least', 'at-most'], description: 'Whether higher or lower is better' })
  direction: string;
  @ApiProperty({ description: 'When it was computed' }) computedAt: string;
  @ApiProperty({ description: 'Path of the drill-down: the records behind this value' }) drillDown: string;
}

export class KpiValuesDto {
  @ApiProperty({ description: 'The customer' }) customerId: string;
  @ApiProperty({ enum: KPI_PERIODS, description: 'Period length' }) period: string;
  @ApiProperty({ type: [KpiValueDto], description: 'Values per KPI and period, newest first' })
  values: KpiValueDto[];
}

export class KpiFactDto {
  @ApiProperty({ description: 'Kind of record (delivery, order, case, invoice...)' }) kind: string;
  @ApiProperty({ description: 'Record id' }) id: string;
  @ApiProperty({ description: 'Part of the record (a line), 0 for the whole' }) part: number;
  @ApiProperty({ description: 'Source and id of the record (source/externalId)' }) ref: string;
  @ApiProperty({ description: 'When it counts' }) at: string;
  @ApiProperty({ description: 'Whether it met the KPI' }) hit: boolean;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Measured value (hour KPIs)' })
  value: number | null;
  @ApiProperty({ description: 'Source of its customer record' }) customerSource: string;
  @ApiProperty({ description: 'Id of its customer in that source' }) customerExternalId: string;
}

export class KpiRecordsDto {
  @ApiProperty({ description: 'The customer' }) customerId: string;
  @ApiProperty({ enum: KPI_NAMES, description: 'Which KPI' }) kpi: string;
  @ApiProperty({ enum: KPI_PERIODS, description: 'Period length' }) period: string;
  @ApiProperty({ description: 'First day of the period' }) start: string;
  @ApiProperty({ description: 'What the KPI counts' }) definition: string;
  @ApiProperty({ description: 'Records counted' }) n: number;
  @ApiProperty({ description: 'Records that met it' }) hits: number;
  @ApiProperty({ description: 'Page size' }) limit: number;
  @ApiProperty({ description: 'Offset of the page' }) offset: number;
  @ApiProperty({ type: [KpiFactDto], description: 'The records, one page' }) items: KpiFactDto[];
}

export class TierParam {
  @IsString() @MaxLength(50) tier: string;
}

@ApiTags('service KPIs')
@Controller()
@UseFilters(AppErrorFilter)
export class KpiController {
  constructor(
    private readonly query: KpiQueryService,
    private readonly kpis: KpiService,
    private readonly recomputes: KpiRecomputeService,
  ) {}

  @Get('kpis/definitions')
  @Allow('kpis:read')
  @ApiOperation({ summary: 'What each KPI counts, its unit, direction and default target' })
  definitions() {
    return this.query.definitions();
  }

  @Get('customers/:id/kpis')
  @Allow('kpis:read')
  @ApiOkResponse({ type: KpiValuesDto })
  @ApiOperation({
    summary: "A customer's KPI values per period with its agreement's targets",
    description: 'Each value links to its drill-down: the exact records it was computed from.',
  })
  ofCustomer(@Param('id', ParseUUIDPipe) id: string, @Query() q: KpiValuesQuery) {
    return this.query.ofCustomer(id, q);
  }

  @Get('customers/:id/kpis/:kpi/records')
  @Allow('kpis:read')
  @ApiOkResponse({ type: KpiRecordsDto })
  @ApiOperation({ summary: 'Drill-down: exactly the records one KPI value was computed from' })
  records(@Param('id', ParseUUIDPipe) id: string, @Param('kpi') kpi: string, @Query() q: KpiRecordsQuery) {
    return this.query.records(id, kpi, q);
  }

  @Get('customers/:id/scorecard')
  @Allow('scorecard:read')
  @ApiOperation({
    summary: 'The KPI scorecard shared with the customer (403 unless its agreement shares it)',
  })
  scorecard(@Param('id', ParseUUIDPipe) id: string, @Query() q: KpiValuesQuery) {
    return this.query.scorecard(id, q);
  }

  @Get('kpis/tiers/:tier')
  @Allow('kpis:read')
  @ApiOperation({ summary: "A tier's KPIs for one period over all its customers' records" })
  ofTier(@Param() p: TierParam, @Query() q: TierKpiQuery) {
    return this.query.ofTier(requestTenant(q.tenant), p.tier, q);
  }

  @Post('kpis/refresh')
  @Allow('kpis:write')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Refresh KPIs of changed records now (the worker does it every CRM_KPI_REFRESH_SECONDS)',
  })
  async refresh() {
    return (await this.kpis.drain({ wait: true })) ?? { subjects: 0, missed: 0 };
  }

  @Post('kpis/recompute')
  @Allow('kpis:write')
  @ApiOperation({
    summary: 'Derive every KPI fact of a tenant again and recompute all values (after a bulk load)',
    description:
      'Starts a background job and answers 202 with it (follow GET /kpis/recomputes/:id: phase, step of steps, ' +
      'facts so far); with wait=true answers 200 when it is done. One step per record kind, each its own ' +
      'transaction, so the incremental refresh is not held up behind it; the changed records that refresh had ' +
      'not done yet are taken over. 409 while a recompute of the tenant runs.',
  })
  @ApiAcceptedResponse({ type: KpiRecomputeDto, description: 'Started' })
  @ApiOkResponse({ type: KpiRecomputeDto, description: 'wait=true: done (or failed, with the error)' })
  @ApiConflictResponse({ description: 'A recompute of the tenant is running (the message names it)' })
  async recompute(
    @Query() q: RecomputeQuery,
    @Res({ passthrough: true }) res: { status(code: number): unknown },
  ): Promise<KpiRecomputeDto> {
    const job = await this.recomputes.start(requestTenant(q.tenant), q.wait ?? false);
    res.status(q.wait ? 200 : 202);
    return job;
  }

  @Get('kpis/recomputes')
  @Allow('kpis:read')
  @ApiOperation({ summary: 'Recent full recomputes, newest first' })
  @ApiOkResponse({ type: [KpiRecomputeDto] })
  recomputeList(@Query() q: TenantQuery): Promise<KpiRecomputeDto[]> {
    return this.recomputes.list(q.tenant, 20);
  }

  @Get('kpis/recomputes/:id')
  @Allow('kpis:read')
  @ApiOperation({ summary: 'A full recompute and its progress' })
  @ApiOkResponse({ type: KpiRecomputeDto })
  @ApiNotFoundResponse()
  recomputeStatus(@Param('id', new ParseUUIDPipe()) id: string): Promise<KpiRecomputeDto> {
    return this.recomputes.get(id);
  }
}
