import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { CrmError } from '../crm.errors';
import { churnSignal, DEFAULT_CHURN_OPTIONS } from './churn.util';

const MONTHS = 1 + 12 + DEFAULT_CHURN_OPTIONS.baselineMonths; // this month, a year back, and that year's baseline

/** Churn early warning over every active customer of a tenant, for one month, with the reasons. */
@Injectable()
export class ChurnService {
  constructor(private readonly db: Database) {}

  async warnings(tenant: string, month: string) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      throw new CrmError('invalid', `month "${month}" must be YYYY-MM`);
    const rows = await this.db.sql<{ customer_id: string; name: string; monthly: number[] }>(
      `WITH months AS (
         SELECT generate_series(($2 || '-01')::timestamptz - make_interval(months => $3 - 1), ($2 || '-01')::timestamptz,
                                interval '1 month') AS m),
       rec AS (SELECT r.customer_id, r.source, r.external_id FROM crm_customer_record r
                 JOIN crm_customer c ON c.id = r.customer_id WHERE c.tenant = $1 AND c.status = 'active'),
       o AS (SELECT rec.customer_id, date_trunc('month', o.ordered_at, 'UTC') AS m, count(*)::int AS n
               FROM crm_order o JOIN rec ON o.customer_source = rec.source AND o.customer_external_id = rec.external_id
              WHERE o.tenant = $1 AND o.ordered_at >= (SELECT min(m) FROM months)
                AND o.ordered_at < ($2 || '-01')::timestamptz + interval '1 month'
              GROUP BY 1, 2)
       SELECT c.id AS customer_id, c.name, array_agg(coalesce(o.n, 0) ORDER BY months.m) AS monthly
         FROM crm_customer c CROSS JOIN months LEFT JOIN o ON o.customer_id = c.id AND o.m = months.m
        WHERE c.tenant = $1 AND c.status = 'active'
        GROUP BY c.id, c.name`,
      [tenant, month, MONTHS],
    );
    const flagged = rows
      .map((r) => ({
        customerId: r.customer_id,
        name: r.name,
        monthly: r.monthly,
        ...churnSignal(r.monthly),
      }))
      .filter((r) => r.flagged)
      .sort((a, b) => a.ratio - b.ratio || a.name.localeCompare(b.name));
    return { month, evaluated: rows.length, flagged };
  }
}
