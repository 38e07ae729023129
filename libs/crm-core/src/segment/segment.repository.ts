import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { customerOf } from '../customer/customer-of.sql';
import { CustomerSegmentDto } from './segment.dto';

type Runner = Pick<EntityManager, 'query'>;

const INPUTS = `WITH o AS (SELECT r.customer_id, o.total_amount, o.ordered_at FROM crm_order o ${customerOf('o')}
                   JOIN crm_customer a ON a.id = r.customer_id AND a.tenant = $1 AND a.status = 'active'
                  WHERE o.tenant = $1 AND o.ordered_at <= $2)
       SELECT c.id AS customer_id, coalesce(sum(o.total_amount), 0)::float AS revenue,
              count(o.ordered_at) FILTER (WHERE o.ordered_at > $2::timestamptz - make_interval(days => $3))::int AS recent,
              count(o.ordered_at) FILTER (WHERE o.ordered_at <= $2::timestamptz - make_interval(days => $3)
                                   AND o.ordered_at > $2::timestamptz - make_interval(days => 2 * $3))::int AS previous,
              min(o.ordered_at) AS first,
              coalesce(sum(o.total_amount) FILTER (WHERE o.ordered_at > $2::timestamptz - make_interval(days => $3)), 0)::float AS revenue_recent,
              coalesce(sum(o.total_amount) FILTER (WHERE o.ordered_at <= $2::timestamptz - make_interval(days => $3)
                                   AND o.ordered_at > $2::timestamptz - make_interval(days => 2 * $3)), 0)::float AS revenue_previous,
              coalesce(sum(o.total_amount) FILTER (WHERE o.ordered_at > $2::timestamptz - interval '12 months'), 0)::float AS revenue_12m,
              (SELECT sum(k.amount)::float FROM crm_customer_cost k
                WHERE (k.customer_id = c.id OR k.customer_id IN (SELECT m.id FROM crm_customer m WHERE m.merged_into = c.id))
                  AND k.period_start > ($2::timestamptz - interval '12 months')::date AND k.period_start <= $2::date) AS cost_12m
         FROM crm_customer c LEFT JOIN o ON o.customer_id = c.id
        WHERE c.tenant = $1 AND c.status = 'active' GROUP BY c.id`;

/** What a classification reads per active customer: revenue, order trend, cost. */
export interface SegmentInputs {
  customer_id: string;
  revenue: number;
  recent: number;
  previous: number;
  first: Date | null;
  revenue_recent: number;
  revenue_previous: number;
  revenue_12m: number;
  cost_12m: number | null;
}

/** A customer's stored class (to tell what changed). */
export interface StoredSegment {
  customer_id: string;
  abc: string;
  lifecycle: string;
  vip: boolean;
  value_class: string | null;
}

/** The segment feature's tables (crm_customer_segment, crm_customer_cost) and its read of orders. */
@Injectable()
export class SegmentRepository {
  constructor(private readonly db: Database) {}

  /** Tenants that have customers (the periodic classification runs per tenant). */
  async tenants(): Promise<string[]> {
    const rows = await this.db.sql<{ tenant: string }>(`SELECT DISTINCT tenant FROM crm_customer`);
    return rows.map((r) => r.tenant);
  }

  /** Per active customer of the tenant, as of `asOf`: revenue, orders in the windows, cost of 12 months. */
  inputs(tenant: string, asOf: Date, windowDays: number): Promise<SegmentInputs[]> {
    return this.db.sql<SegmentInputs>(INPUTS, [tenant, asOf.toISOString(), windowDays]);
  }

  /** Two processes classifying one tenant at once: the second waits and sees the first's result as before. */
  async lock(tx: Runner, tenant: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('tradelane:segments:' || $1))`, [tenant]);
  }

  current(tx: Runner, tenant: string): Promise<StoredSegment[]> {
    return tx.query(
      `SELECT customer_id, abc, lifecycle, vip, value_class FROM crm_customer_segment WHERE tenant = $1`,
      [tenant],
    );
  }

  async save(tx: Runner, results: object[]): Promise<void> {
    await tx.query(
      `INSERT INTO crm_customer_segment (customer_id, tenant, abc, revenue, share, cumulative_share, lifecycle, reason, inputs,
                vip, value_class, margin, clv)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(customer_id uuid, tenant text, abc text, revenue numeric, share numeric,
                cumulative_share numeric, lifecycle text, reason text, inputs jsonb, vip boolean, value_class text, margin numeric,
                clv numeric)
         ON CONFLICT (customer_id) DO UPDATE SET abc = EXCLUDED.abc, revenue = EXCLUDED.revenue, share = EXCLUDED.share,
           vip = EXCLUDED.vip, value_class = EXCLUDED.value_class, margin = EXCLUDED.margin, clv = EXCLUDED.clv,
           cumulative_share = EXCLUDED.cumulative_share, lifecycle = EXCLUDED.lifecycle, reason = EXCLUDED.reason,
           inputs = EXCLUDED.inputs, classified_at = now()`,
      [JSON.stringify(results)],
    );
  }

  async ofCustomer(customerId: string): Promise<CustomerSegmentDto | undefined> {
    const [row] = await this.db.sql<CustomerSegmentDto>(
      `SELECT customer_id AS "customerId", abc, revenue::float AS revenue, share::float AS share,
              cumulative_share::float AS "cumulativeShare", lifecycle, vip, value_class AS "valueClass",
              margin::float AS margin, clv::float AS clv, inputs->>'policy' AS "servicePolicy", reason, inputs,
              classified_at AS "classifiedAt"
         FROM crm_customer_segment WHERE customer_id = $1`,
      [customerId],
    );
    return row;
  }

  async setCosts(
    tenant: string,
    customerId: string,
    entries: { month: string; amount: number; note?: string }[],
  ) {
    await this.db.sql(
      `INSERT INTO crm_customer_cost (customer_id, period_start, tenant, amount, note)
       SELECT $1, (t.month || '-01')::date, $2, t.amount, t.note FROM jsonb_to_recordset($3::jsonb) AS t(month text, amount numeric, note text)
       ON CONFLICT (customer_id, period_start) DO UPDATE SET amount = EXCLUDED.amount, note = EXCLUDED.note, updated_at = now()`,
      [customerId, tenant, JSON.stringify(entries.map((e) => ({ ...e, note: e.note ?? null })))],
    );
  }

  costsOf(customerId: string) {
    return this.db.sql(
      `SELECT to_char(period_start, 'YYYY-MM') AS month, amount::float AS amount, note FROM crm_customer_cost
        WHERE customer_id = $1 ORDER BY period_start`,
      [customerId],
    );
  }
}
