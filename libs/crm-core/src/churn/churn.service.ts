import { Injectable } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { churnSignal, DEFAULT_CHURN_OPTIONS, ServiceSignalInput, serviceSignals, Signal } from './churn.util';

const NO_SERVICE_INPUT: ServiceSignalInput = {
  complaints: 0,
  complaintBaseline: [],
  onTime: null,
  onTimeBaseline: null,
  satisfaction: null,
  satisfactionBaseline: null,
  failedShipments: [],
};
const SERVICE_BASELINE_MONTHS = 6;

const MONTHS = 1 + 12 + DEFAULT_CHURN_OPTIONS.baselineMonths; // this month, a year back, and that year's baseline

/** Churn early warning over every active customer of a tenant, for one month, with the reasons. */
@Injectable()
export class ChurnService {
  constructor(private readonly db: Database) {}

  async warnings(tenant: string, month: string) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
      throw new AppError('invalid', `month "${month}" must be YYYY-MM`);
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
    const service = await this.serviceInputs(tenant, month);
    const flagged = rows
      .map((r) => {
        const volume = churnSignal(r.monthly);
        const signals: Signal[] = [
          ...(volume.flagged ? [{ signal: 'order-volume' as const, reason: volume.reason }] : []),
          ...serviceSignals(service.get(r.customer_id) ?? NO_SERVICE_INPUT),
        ];
        return {
          customerId: r.customer_id,
          name: r.name,
          monthly: r.monthly,
          ...volume,
          flagged: signals.length > 0,
          reason: signals.map((x) => x.reason).join('; '),
          signals,
        };
      })
      .filter((r) => r.flagged)
      .sort(
        (a, b) => b.signals.length - a.signals.length || a.ratio - b.ratio || a.name.localeCompare(b.name),
      );
    return { month, evaluated: rows.length, flagged };
  }

  /**
   * Per customer, for the month and the baseline months before it: complaint cases (as payer),
   * on-time delivery (KPI values), satisfaction answers, and failed shipments it was a party of
   * on any side (shipper, consignee...), not only the payer.
   */
  private async serviceInputs(tenant: string, month: string): Promise<Map<string, ServiceSignalInput>> {
    const params = [tenant, month, SERVICE_BASELINE_MONTHS];
    const range = `($2 || '-01')::timestamptz - make_interval(months => $3)`;
    const end = `($2 || '-01')::timestamptz + interval '1 month'`;
    const current = (col: string) => `${col} >= ($2 || '-01')::timestamptz`;
    const [complaints, onTime, satisfaction, failed] = await Promise.all([
      this.db.sql<{ customer_id: string; months: number[] }>(
        `WITH m AS (SELECT generate_series(${range}, ($2 || '-01')::timestamptz, interval '1 month') AS m),
              k AS (SELECT r.customer_id, date_trunc('month', k.opened_at, 'UTC') AS m, count(*)::int AS n
                      FROM crm_case k JOIN crm_customer_record r ON r.tenant = k.tenant AND r.source = k.customer_source
                       AND r.external_id = k.customer_external_id
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
           JOIN crm_customer_record r ON r.tenant = p.tenant AND r.source = p.customer_source AND r.external_id = p.customer_external_id
          WHERE k.tenant = $1 AND k.origin = 'delivery-exception' AND k.status <> 'rejected'
            AND ${current('k.opened_at')} AND k.opened_at < ${end}
          ORDER BY k.number, p.role`,
        params.slice(0, 2),
      ),
    ]);
    const out = new Map<string, ServiceSignalInput>();
    const of = (id: string) => {
      let v = out.get(id);
      if (!v) out.set(id, (v = structuredClone(NO_SERVICE_INPUT)));
      return v;
    };
    for (const c of complaints) {
      of(c.customer_id).complaints = c.months[c.months.length - 1];
      of(c.customer_id).complaintBaseline = c.months.slice(0, -1);
    }
    for (const k of onTime) Object.assign(of(k.customer_id), { onTime: k.now, onTimeBaseline: k.before });
    for (const x of satisfaction)
      Object.assign(of(x.customer_id), { satisfaction: x.now, satisfactionBaseline: x.before });
    for (const f of failed)
      of(f.customer_id).failedShipments.push({
        case: `C-${String(f.number).padStart(6, '0')}`,
        type: f.type,
        role: f.role,
        shipment: f.shipment,
      });
    return out;
  }
}
