import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { KpiName } from '../context/kpi-catalogue';
import { customerOf } from '../customer/customer-of.sql';

const FACT_OF_CUSTOMER = `crm_kpi_fact f ${customerOf('f')}`;
const IN_PERIOD = `f.at >= ($3::date)::timestamp AT TIME ZONE 'UTC'
   AND f.at < ($3::date + ('1 ' || $4)::interval)::timestamp AT TIME ZONE 'UTC'`;

export interface KpiValueRow {
  kpi: KpiName;
  periodStart: string;
  n: number;
  hits: number;
  value: number;
  p90: number | null;
  target: number | null;
  met: boolean | null;
  computedAt: Date;
}

/** The KPI feature's reads: values, the facts behind a value, a tier's pooled facts. */
@Injectable()
export class KpiReadRepository {
  constructor(private readonly db: Database) {}

  values(
    customerId: string,
    q: { period: string; from: string; to: string | null; kpi: KpiName | null },
  ): Promise<KpiValueRow[]> {
    return this.db.sql<KpiValueRow>(
      `SELECT kpi, to_char(period_start, 'YYYY-MM-DD') AS "periodStart", n, hits, value::float AS value,
              p90::float AS p90, target::float AS target, met, computed_at AS "computedAt"
         FROM crm_kpi_value
        WHERE customer_id = $1 AND period = $2 AND period_start >= $3 AND ($4::date IS NULL OR period_start <= $4)
          AND ($5::text IS NULL OR kpi = $5)
        ORDER BY period_start DESC, kpi`,
      [customerId, q.period, q.from, q.to, q.kpi],
    );
  }

  /** Whether `start` is the first day of its period (weeks start on Monday). */
  async isPeriodStart(period: string, start: string): Promise<boolean> {
    const [{ aligned }] = await this.db.sql<{ aligned: boolean }>(
      `SELECT date_trunc($1, $2::date::timestamp)::date = $2::date AS aligned`,
      [period, start],
    );
    return aligned;
  }

  /** The facts of one customer's KPI value (count, hits and a page of them, oldest first). */
  async facts(
    customerId: string,
    kpi: KpiName,
    period: string,
    start: string,
    limit: number,
    offset: number,
  ): Promise<{ n: number; hits: number; items: Record<string, unknown>[] }> {
    const where = `r.customer_id = $1 AND f.kpi = $2 AND ${IN_PERIOD}`;
    const [total] = await this.db.sql<{ n: number; hits: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE f.hit)::int AS hits FROM ${FACT_OF_CUSTOMER} WHERE ${where}`,
      [customerId, kpi, start, period],
    );
    const items = await this.db.sql(
      `SELECT f.subject_kind AS "kind", f.subject_id AS "id", f.part, f.subject_ref AS "ref", f.at, f.hit,
              f.value::float AS value, f.customer_source AS "customerSource", f.customer_external_id AS "customerExternalId"
         FROM ${FACT_OF_CUSTOMER} WHERE ${where} ORDER BY f.at, f.subject_id, f.part LIMIT $5 OFFSET $6`,
      [customerId, kpi, start, period, limit, offset],
    );
    return { ...total, items };
  }

  /** Per KPI, the facts of one period pooled over every active customer on the tier. */
  tierFacts(tenant: string, tier: string, start: string, period: string) {
    return this.db.sql<{
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
        WHERE f.tenant = $1 AND ${IN_PERIOD}
        GROUP BY f.kpi ORDER BY f.kpi`,
      [tenant, tier, start, period],
    );
  }
}
