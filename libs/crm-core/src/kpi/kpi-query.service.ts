import { Injectable } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { AgreementService } from '../agreement/agreement.service';
import { KPI_NAMES, KPI_PERIODS, KpiName, KpiPeriod, KPIS, meetsTarget } from '../context/kpi-catalogue';
import { CustomerDirectory } from '../customer/customer-directory';
import { KpiReadRepository } from './kpi-read.repository';

export interface KpiQuery {
  period?: string;
  from?: string;
  to?: string;
  kpi?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function periodOf(raw: string | undefined): KpiPeriod {
  const p = raw ?? 'month';
  if (!(KPI_PERIODS as readonly string[]).includes(p))
    throw new AppError('invalid', `period "${p}" must be one of ${KPI_PERIODS.join(', ')}`);
  return p as KpiPeriod;
}

function kpiOf(raw: string): KpiName {
  if (!(KPI_NAMES as readonly string[]).includes(raw))
    throw new AppError('invalid', `kpi "${raw}" is not one of ${KPI_NAMES.join(', ')}`);
  return raw as KpiName;
}

function dateOf(name: string, raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (!DATE.test(raw) || Number.isNaN(Date.parse(raw)))
    throw new AppError('invalid', `${name} "${raw}" must be a date YYYY-MM-DD`);
  return raw;
}

const drillDown = (customerId: string, kpi: string, period: string, start: string) =>
  `/customers/${customerId}/kpis/${kpi}/records?period=${period}&start=${start}`;

/** Reading KPIs: a customer's values, the records behind one value, a tier's values, the scorecard. */
@Injectable()
export class KpiQueryService {
  constructor(
    private readonly kpis: KpiReadRepository,
    private readonly customers: CustomerDirectory,
    private readonly agreements: AgreementService,
  ) {}

  private async customer(id: string) {
    const c = await this.customers.find(id);
    if (!c) throw new AppError('not-found', `customer ${id} not found`);
    return c;
  }

  definitions() {
    return Object.values(KPIS);
  }

  /** Values per KPI and period (default: months of the last year), newest first, with targets. */
  async ofCustomer(id: string, q: KpiQuery) {
    const c = await this.customer(id);
    const period = periodOf(q.period);
    const kpi = q.kpi === undefined ? null : kpiOf(q.kpi);
    const from = dateOf('from', q.from) ?? new Date(Date.now() - 366 * 86_400_000).toISOString().slice(0, 10);
    const to = dateOf('to', q.to);
    const rows = await this.kpis.values(c.id, { period, from, to, kpi });
    return {
      customerId: c.id,
      period,
      values: rows.map((r) => ({
        ...r,
        period,
        unit: KPIS[r.kpi].unit,
        direction: KPIS[r.kpi].direction,
        drillDown: drillDown(c.id, r.kpi, period, r.periodStart),
      })),
    };
  }

  /** Exactly the records one value was computed from (its facts), paged. */
  async records(
    id: string,
    kpiName: string,
    q: { period?: string; start?: string; limit?: number; offset?: number },
  ) {
    const c = await this.customer(id);
    const kpi = kpiOf(kpiName);
    const period = periodOf(q.period);
    const start = dateOf('start', q.start);
    if (!start) throw new AppError('invalid', 'start (YYYY-MM-DD, the first day of the period) is required');
    if (!(await this.kpis.isPeriodStart(period, start)))
      throw new AppError(
        'invalid',
        `start ${start} is not the first day of a ${period} (weeks start on Monday)`,
      );
    const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
    const offset = Math.max(q.offset ?? 0, 0);
    const { items, ...total } = await this.kpis.facts(c.id, kpi, period, start, limit, offset);
    return {
      customerId: c.id,
      kpi,
      period,
      start,
      definition: KPIS[kpi].description,
      ...total,
      limit,
      offset,
      items,
    };
  }

  /** A tier's KPIs for one period, over every customer on the tier (pooled records, not an average of averages). */
  async ofTier(tenant: string, tier: string, q: { period?: string; start?: string }) {
    const period = periodOf(q.period);
    const start = dateOf('start', q.start);
    if (!start) throw new AppError('invalid', 'start (YYYY-MM-DD) is required');
    const rows = await this.kpis.tierFacts(tenant, tier, start, period);
    const agreement = await this.agreements.resolve(this.agreements.direct, tenant, null, tier);
    return {
      tenant,
      tier,
      period,
      start,
      values: rows.map((r) => {
        const def = KPIS[r.kpi];
        const value = def.unit === 'hours' ? Number(r.p50) : r.hits / r.n;
        const target = agreement.settings.targets[r.kpi] ?? null;
        return {
          kpi: r.kpi,
          customers: r.customers,
          n: r.n,
          hits: r.hits,
          value,
          p90: r.p90,
          target,
          met: meetsTarget(def, value, r.p90, target),
          unit: def.unit,
          direction: def.direction,
        };
      }),
    };
  }

  /** The scorecard a customer may see (portal): only when its agreement shares it. */
  async scorecard(id: string, q: KpiQuery) {
    const c = await this.customer(id);
    const agreement = await this.agreements.resolve(this.agreements.direct, c.tenant, c.id);
    if (!agreement.settings.shareScorecard)
      throw new AppError(
        'forbidden',
        `the KPI scorecard of customer ${c.id} is not shared (agreement shareScorecard)`,
      );
    const { values, period } = await this.ofCustomer(c.id, q);
    return {
      customer: { id: c.id, name: c.name },
      tier: agreement.tier,
      period,
      values: values.map(({ kpi, periodStart, n, value, p90, target, met, unit, direction }) => ({
        kpi,
        description: KPIS[kpi].description,
        periodStart,
        n,
        value,
        p90,
        target,
        met,
        unit,
        direction,
      })),
    };
  }
}
