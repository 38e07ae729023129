import { Controller, Get, Injectable, Query, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Allow, AppError, AppErrorFilter, requestTenant } from '@tradelane/http';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ServiceCostRepository } from './service-cost.repository';
import { DEFAULT_SERVICE_COST, FailedCustomer, lostSales, ServiceCostAssumptions } from './service-cost.util';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export class ServiceCostQuery {
  @ApiPropertyOptional({ default: 'default' }) @IsOptional() @IsString() @MaxLength(100) tenant?: string;
  @ApiPropertyOptional({ example: '2026-01', description: 'First month (default: 12 months ago)' })
  @IsOptional()
  @Matches(MONTH, { message: 'from must be YYYY-MM' })
  from?: string;
  @ApiPropertyOptional({ example: '2026-06', description: 'Last month (default: this month)' })
  @IsOptional()
  @Matches(MONTH, { message: 'to must be YYYY-MM' })
  to?: string;
  @ApiPropertyOptional({ default: 3 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(12)
  windowMonths?: number;
  @ApiPropertyOptional({ default: 2 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(100)
  wordOfMouth?: number;
  @ApiPropertyOptional({ default: 0.05 })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  @Max(1)
  prospectConversion?: number;
  @ApiPropertyOptional({ description: 'Revenue of a new customer over the window (default: tenant mean)' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0)
  newCustomerRevenue?: number;
}

/** Sales lost through poor service per month and cause, next to the logistics cost. */
@Injectable()
export class ServiceCostService {
  constructor(private readonly costs: ServiceCostRepository) {}

  async report(q: ServiceCostQuery) {
    const tenant = requestTenant(q.tenant);
    const now = new Date();
    const to = q.to ?? now.toISOString().slice(0, 7);
    const from =
      q.from ??
      new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
    if (from > to) throw new AppError('invalid', `from ${from} is after to ${to}`);
    const a: ServiceCostAssumptions = {
      windowMonths: q.windowMonths ?? DEFAULT_SERVICE_COST.windowMonths,
      wordOfMouth: q.wordOfMouth ?? DEFAULT_SERVICE_COST.wordOfMouth,
      prospectConversion: q.prospectConversion ?? DEFAULT_SERVICE_COST.prospectConversion,
      newCustomerRevenue: q.newCustomerRevenue ?? null,
    };
    const { failures, revenue, logistics, mean } = await this.costs.inputs(tenant, from, to, a.windowMonths);
    const newCustomerRevenue = a.newCustomerRevenue ?? Math.round((mean[0]?.mean ?? 0) * 100) / 100;
    const rev = new Map(revenue.map((r) => [`${r.customer_id} ${r.month}`, r.amount]));
    const shift = (month: string, by: number) => {
      const [y, m] = month.split('-').map(Number);
      return new Date(Date.UTC(y, m - 1 + by, 1)).toISOString().slice(0, 7);
    };
    const sum = (id: string, month: string, fromOffset: number, toOffset: number) => {
      let s = 0;
      for (let k = fromOffset; k <= toOffset; k++) s += rev.get(`${id} ${shift(month, k)}`) ?? 0;
      return Math.round(s * 100) / 100;
    };
    return {
      tenant,
      from,
      to,
      assumptions: { ...a, newCustomerRevenue },
      formula:
        'lost = Σ failed customers max(0, revenue in the window before − revenue in the window after), split over causes; ' +
        'prospects = failed customers × wordOfMouth × prospectConversion × newCustomerRevenue',
      months: logistics.map((l) => {
        const failed: FailedCustomer[] = failures
          .filter((f) => f.month === l.month)
          .map((f) => ({
            customerId: f.customer_id,
            name: f.name,
            causes: f.causes,
            before: sum(f.customer_id, l.month, -a.windowMonths, -1),
            after: sum(f.customer_id, l.month, 1, a.windowMonths),
          }));
        const lost = lostSales(failed, newCustomerRevenue, a);
        const logisticsCost = Math.round((l.cost + l.freight) * 100) / 100;
        return {
          month: l.month,
          customersWithFailures: failed.length,
          lostSales: lost,
          logisticsCost: { total: logisticsCost, costToServe: l.cost, freight: l.freight },
          /** Lost sales per unit of logistics cost: above 1, service failures cost more than the logistics. */
          lostPerLogisticsCost:
            logisticsCost > 0 ? Math.round((lost.total / logisticsCost) * 1000) / 1000 : null,
        };
      }),
    };
  }
}

@ApiTags('service cost')
@Controller('service-cost')
@UseFilters(AppErrorFilter)
export class ServiceCostController {
  constructor(private readonly cost: ServiceCostService) {}

  @Get()
  @Allow('segments:read')
  @ApiOperation({
    summary:
      'Sales lost through poor service per month and cause, with the assumptions, next to the logistics cost',
  })
  report(@Query() q: ServiceCostQuery) {
    return this.cost.report(q);
  }
}
