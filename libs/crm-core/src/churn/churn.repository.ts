import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { customerOf } from '../customer/customer-of.sql';

/**
 * The churn feature's reads (it owns no table): orders per active customer and month, and the
 * service inputs (complaint cases, on-time KPI values, satisfaction answers, failed shipments).
 */
@Injectable()
export class ChurnRepository {
  constructor(private readonly db: Database) {}

  /** Orders per month of every active customer, for `months` months up to `month` (YYYY-MM). */
  orderVolume(tenant: string, month: string, months: number) {
    return this.db.sql<{ customer_id: string; name: string; monthly: number[] }>(
      `WITH months AS (
         SELECT generate_series(($2 || '-01')::timestamptz - make_interval(months => $3 - 1), ($2 || '-01')::timestamptz,
                                interval '1 month') AS m),
       o AS (SELECT r.customer_id, date_trunc('month', o.ordered_at, 'UTC') AS m, count(*)::int AS n
               FROM crm_order o ${customerOf('o')}
               JOIN crm_customer a ON a.id = r.customer_id AND a.tenant = $1 AND a.status = 'active'
              WHERE o.tenant = $1 AND o.ordered_at >= (SELECT min(m) FROM months)
                AND o.ordered_at < ($2 || '-01')::timestamptz + interval '1 month'
              GROUP BY 1, 2)
       SELECT c.id AS customer_id, c.name, array_agg(coalesce(o.n, 0) ORDER BY months.m) AS monthly
         FROM crm_customer c CROSS JOIN months LEFT JOIN o ON o.customer_id = c.id AND o.m = months.m
        WHERE c.tenant = $1 AND c.status = 'active'
        GROUP BY c.id, c.name`,
      [tenant, month, months],
    );
  }

  /**
   * Per customer, for the month and the baseline months before it: complaint cases (as payer),
   * on-time delivery (KPI values), satisfaction answers, and failed shipments it was a party of
   * on any side (shipper, consignee...), not only the payer.
   */
  async serviceInputs(tenant: string, month: string, baselineMonths: number) {
    const params = [tenant, month, baselineMonths];
    const range = `($2 || '-01')::timestamptz - make_interval(months => $3)`;
    const end = `($2 || '-01')::timestamptz + interval '1 month'`;
    const current = (col: string) => `${col} >= ($2 || '-01')::timestamptz`;
    const [complaints, onTime, satisfaction, failed] = await Promise.all([
      this.db.sql<{ customer_id: string; months: number[] }>(
        `WITH m AS (SELECT generate_series(${range}, ($2 || '-01')::timestamptz, interval '1 month') AS m),
              k AS (SELECT r.customer_id, date_trunc('month', k.opened_at, 'UTC') AS m, count(*)::int AS n
                      FROM crm_case k ${customerOf('k')}
                     WHERE k.tenant = $1 AND k.type <> 'service_request' AND k.status <> 'rejected'
                       AND k.opened_at >= ${range} AND k.opened_at < ${end} GROUP BY 1, 2)
         SELECT c.customer_id, array_agg(coalesce(k.n, 0) ORDER BY m.m) AS months
           FROM (SELECT DISTINCT customer_id FROM k) c CROSS JOIN m LEFT JOIN k ON k.customer_id = c.customer_id AND k.m = m.m
          GROUP BY c.customer_id`,
        params,
      ),
      this.db.sql<{ customer_id: string; now: number | null; before: number | null }>(
        `SELECT customer_id,
                (sum(hits) FILTER (WHERE ${current('period_start')})::float / nullif(sum(n) FILTER (WHERE ${current('period_start')}), 0)) AS now,
                (sum(hits) FILTER (WHERE NOT ${current('period_start')})::float / nullif(sum(n) FILTER (WHERE NOT ${current('period_start')}), 0)) AS before
           FROM crm_kpi_value WHERE tenant = $1 AND kpi = 'on_time_delivery' AND period = 'month'
            AND period_start >= ${range} AND period_start < ${end} GROUP BY customer_id`,
        params,
      ),
      this.db.sql<{ customer_id: string; now: number | null; before: number | null }>(
        `SELECT c.id AS customer_id, avg(s.score) FILTER (WHERE ${current('s.answered_at')})::float AS now,
                avg(s.score) FILTER (WHERE NOT ${current('s.answered_at')})::float AS before
           FROM crm_satisfaction_response s JOIN crm_customer c ON c.id = s.customer_id OR c.id = (
                  SELECT merged_into FROM crm_customer WHERE id = s.customer_id)
          WHERE s.tenant = $1 AND c.status = 'active' AND s.answered_at >= ${range} AND s.answered_at < ${end}
          GROUP BY c.id`,
        params,
      ),
      this.db.sql<{ customer_id: string; number: number; type: string; role: string; shipment: string }>(
        `SELECT DISTINCT r.customer_id, k.number, k.type, p.role, k.delivery_source || '/' || k.delivery_external_id AS shipment
           FROM crm_case k JOIN crm_case_party p ON p.case_id = k.id
           ${customerOf('p')}
          WHERE k.tenant = $1 AND k.origin = 'delivery-exception' AND k.status <> 'rejected'
            AND ${current('k.opened_at')} AND k.opened_at < ${end}
          ORDER BY k.number, p.role`,
        params.slice(0, 2),
      ),
    ]);
    return { complaints, onTime, satisfaction, failed };
  }
}
