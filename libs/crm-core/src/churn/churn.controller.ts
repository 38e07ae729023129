import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Allow, AppErrorFilter, requestTenant } from '@tradelane/http';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ChurnReportDto } from './churn.dto';
import { ChurnService } from './churn.service';

export class ChurnQuery {
  @ApiPropertyOptional({
    description:
      'Month evaluated, YYYY-MM (default: the last complete month; the current one is still filling)',
    example: '2026-10',
  })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month?: string;

  @ApiPropertyOptional({ default: 'default' }) @IsOptional() @IsString() @MaxLength(100) tenant?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Only this customer (the customer 360): flagged lists it when it is flagged',
  })
  @IsOptional()
  @IsUUID()
  customerId?: string;
}

/** The month before `now`'s (UTC): a month still under way would flag everybody on its first day. */
export function lastCompleteMonth(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

@ApiTags('churn')
@Controller('churn-warnings')
@UseFilters(AppErrorFilter)
export class ChurnController {
  constructor(private readonly churn: ChurnService) {}

  @Get()
  @Allow('segments:read')
  @ApiOperation({
    summary: 'Customers whose monthly orders fell more than 50 % below their six-month baseline',
    description:
      'Not flagged when the same month last year fell as much (seasonal); each warning lists its numbers.',
  })
  @ApiOkResponse({ type: ChurnReportDto })
  warnings(@Query() q: ChurnQuery): Promise<ChurnReportDto> {
    return this.churn.warnings(
      requestTenant(q.tenant),
      q.month ?? lastCompleteMonth(new Date()),
      q.customerId,
    );
  }
}
