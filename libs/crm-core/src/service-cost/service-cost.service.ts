import { Controller, Get, Injectable, Query, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AppError, AppErrorFilter } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
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
  constructor(private readonly db: Database) {}

  async report(q: ServiceCostQuery) {
    const tenant = q.tenant ?? 'default';
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
    const params = [tenant, from, to, a.windowMonths];
    // Revenue per customer per month over the whole range ± the window, and failures per customer and month.
    const [failures, revenue, logistics, mean] = await Promise.all([
      this.db.sql<{ month: string; customer_id: string; name: string; causes: string[] }>(
        `WITH f AS (
           SELECT to_char(k.opened_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, r.customer_id, k.type AS cause
             FROM crm_case k JOIN crm_customer_record r ON r.tenant = k.tenant AND r.source = k.customer_source
              AND r.external_id = k.customer_external_id
            WHERE k.tenant = $1 AND k.type <> 'service_request' AND k.status <> 'rejected'
           UNION ALL
           SELECT to_char(v.period_start, 'YYYY-MM'), v.customer_id, 'kpi:' || v.kpi
             FROM crm_kpi_value v WHERE v.tenant = $1 AND v.period = 'month' AND v.met = false)
         SELECT f.month, f.customer_id, c.name, array_agg(f.cause ORDER BY f.cause) AS causes
           FROM f JOIN crm_customer c ON c.id = f.customer_id
          WHERE f.month BETWEEN $2 AND $3 AND $4::int > 0 GROUP BY 1, 2, 3`,
        params,
      ),
      this.db.sql<{ customer_id: string; month: string; amount: number }>(
        `SELECT r.customer_id, to_char(o.ordered_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, sum(o.total_amount)::float AS amount
           FROM crm_order o JOIN crm_customer_record r ON r.tenant = o.tenant AND r.source = o.customer_source
            AND r.external_id = o.customer_external_id
          WHERE o.tenant = $1 AND o.ordered_at >= ($2 || '-01')::timestamptz - make_interval(months => $4)
            AND o.ordered_at < ($3 || '-01')::timestamptz + make_interval(months => $4 + 1)
          GROUP BY 1, 2`,
        params,
      ),
      this.db.sql<{ month: string; cost: number; freight: number }>(
        `WITH m AS (SELECT to_char(g, 'YYYY-MM') AS month FROM generate_series(($2 || '-01')::date, ($3 || '-01')::date, interval '1 month') g)
         SELECT m.month,
                coalesce((SELECT sum(amount)::float FROM crm_customer_cost k WHERE k.tenant = $1 AND to_char(k.period_start, 'YYYY-MM') = m.month), 0) AS cost,
                coalesce((SELECT sum(freight)::float FROM crm_order o WHERE o.tenant = $1 AND to_char(o.ordered_at AT TIME ZONE 'UTC', 'YYYY-MM') = m.month), 0) AS freight
           FROM m WHERE $4::int > 0 ORDER BY m.month`,
        params,
      ),
      this.db.sql<{ mean: number | null }>(
        `SELECT avg(total)::float AS mean FROM (
           SELECT r.customer_id, sum(o.total_amount) AS total FROM crm_order o
             JOIN crm_customer_record r ON r.tenant = o.tenant AND r.source = o.customer_source AND r.external_id = o.customer_external_id
            WHERE o.tenant = $1 AND o.ordered_at >= ($3 || '-01')::timestamptz - make_interval(months => $4 - 1)
              AND o.ordered_at < ($3 || '-01')::timestamptz + interval '1 month'
            GROUP BY 1) t WHERE $2::text IS NOT NULL`,
        params,
      ),
    ]);
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
  @ApiOperation({
    summary:
      'Sales lost through poor service per month and cause, with the assumptions, next to the logistics cost',
  })
  report(@Query() q: ServiceCostQuery) {
    return this.cost.report(q);
  }
}
