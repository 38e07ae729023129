import { Injectable } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { AgreementService } from '../agreement/agreement.service';
import { KPI_NAMES, KPI_PERIODS, KpiName, KpiPeriod, KPIS, meetsTarget } from '../context/kpi-catalogue';
import { CustomerDirectory } from '../customer/customer-directory.repository';

export interface KpiQuery {
  period?: string;
  from?: string;
  to?: string;
  kpi?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FACT_OF_CUSTOMER = `crm_kpi_fact f JOIN crm_customer_record r ON r.tenant = f.tenant AND r.source = f.customer_source
  AND r.external_id = f.customer_external_id`;

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
    private readonly db: Database,
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
    const rows = await this.db.sql<{
      kpi: KpiName;
      periodStart: string;
      n: number;
      hits: number;
      value: number;
      p90: number | null;
      target: number | null;
      met: boolean | null;
      computedAt: Date;
    }>(
      `SELECT kpi, to_char(period_start, 'YYYY-MM-DD') AS "periodStart", n, hits, value::float AS value,
              p90::float AS p90, target::float AS target, met, computed_at AS "computedAt"
         FROM crm_kpi_value
        WHERE customer_id = $1 AND period = $2 AND period_start >= $3 AND ($4::date IS NULL OR period_start <= $4)
          AND ($5::text IS NULL OR kpi = $5)
        ORDER BY period_start DESC, kpi`,
      [c.id, period, from, to, kpi],
    );
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
    const [{ aligned }] = await this.db.sql<{ aligned: boolean }>(
      `SELECT date_trunc($1, $2::date::timestamp)::date = $2::date AS aligned`,
      [period, start],
    );
    if (!aligned)
      throw new AppError(
        'invalid',
        `start ${start} is not the first day of a ${period} (weeks start on Monday)`,
      );
    const limit = Math.min(Math.max(q.limit ?? 100, 1), 1000);
    const offset = Math.max(q.offset ?? 0, 0);
    const where = `r.customer_id = $1 AND f.kpi = $2 AND f.at >= ($3::date)::timestamp AT TIME ZONE 'UTC'
       AND f.at < ($3::date + ('1 ' || $4)::interval)::timestamp AT TIME ZONE 'UTC'`;
    const [total] = await this.db.sql<{ n: number; hits: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE f.hit)::int AS hits FROM ${FACT_OF_CUSTOMER} WHERE ${where}`,
      [c.id, kpi, start, period],
    );
    const items = await this.db.sql(
      `SELECT f.subject_kind AS "kind", f.subject_id AS "id", f.part, f.subject_ref AS "ref", f.at, f.hit,
              f.value::float AS value, f.customer_source AS "customerSource", f.customer_external_id AS "customerExternalId"
         FROM ${FACT_OF_CUSTOMER} WHERE ${where} ORDER BY f.at, f.subject_id, f.part LIMIT $5 OFFSET $6`,
      [c.id, kpi, start, period, limit, offset],
    );
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
    const rows = await this.db.sql<{
      kpi: KpiName;
      customers: number;
      n: number;
      hits: number;
      p50: number | null;
      p90: number | null;
    }>(
      `WITH members AS (
         SELECT c.id FROM crm_customer c LEFT JOIN crm_service_agreement a ON a.tenant = c.tenant AND a.customer_id = c.id
          WHERE c.tenant = $1 AND c.status = 'active' AND coalesce(a.tier, 'standard') = $2)
       SELECT f.kpi, count(DISTINCT r.customer_id)::int AS customers, count(*)::int AS n,
              count(*) FILTER (WHERE f.hit)::int AS hits,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY f.value) AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY f.value) AS p90
         FROM ${FACT_OF_CUSTOMER} JOIN members m ON m.id = r.customer_id
        WHERE f.tenant = $1 AND f.at >= ($3::date)::timestamp AT TIME ZONE 'UTC'
          AND f.at < ($3::date + ('1 ' || $4)::interval)::timestamp AT TIME ZONE 'UTC'
        GROUP BY f.kpi ORDER BY f.kpi`,
      [tenant, tier, start, period],
    );
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
