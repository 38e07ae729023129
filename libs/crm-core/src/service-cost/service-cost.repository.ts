import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { customerOf } from '../customer/customer-of.sql';

/**
 * The service-cost report's reads (the feature owns no table): failures per customer and month
 * (complaint cases, missed KPI targets), revenue per customer and month, logistics cost and freight
 * per month, and the mean revenue of a customer over the window.
 */
@Injectable()
export class ServiceCostRepository {
  constructor(private readonly db: Database) {}

  async inputs(tenant: string, from: string, to: string, windowMonths: number) {
    const params = [tenant, from, to, windowMonths];
    // Revenue per customer per month over the whole range ± the window, and failures per customer and month.
    const [failures, revenue, logistics, mean] = await Promise.all([
      this.db.sql<{ month: string; customer_id: string; name: string; causes: string[] }>(
        `WITH f AS (
           SELECT to_char(k.opened_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, r.customer_id, k.type AS cause
             FROM crm_case k ${customerOf('k')}
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
           FROM crm_order o ${customerOf('o')}
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
           SELECT r.customer_id, sum(o.total_amount) AS total FROM crm_order o ${customerOf('o')}
            WHERE o.tenant = $1 AND o.ordered_at >= ($3 || '-01')::timestamptz - make_interval(months => $4 - 1)
              AND o.ordered_at < ($3 || '-01')::timestamptz + interval '1 month'
            GROUP BY 1) t WHERE $2::text IS NOT NULL`,
        params,
      ),
    ]);
    return { failures, revenue, logistics, mean };
  }
}
