import { Injectable, Logger } from '@nestjs/common';
import { createEnvelope } from '@tradelane/contracts';
import { AppError } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { TransactionRunner } from '../context/transaction.runner';
import { CRM_SOURCE } from '../customer/customer.constants';
import {
  AbcCutoffs,
  classifyAbc,
  customerValue,
  DEFAULT_CUTOFFS,
  DEFAULT_VALUE_OPTIONS,
  lifecycleStage,
} from './segment.util';

export interface ClassifyOptions {
  tenant?: string;
  /** Classify as of this time (default now): revenue up to it, order trend in the windows before it. */
  asOf?: string;
  windowDays?: number;
  cutoffs?: AbcCutoffs;
}

/**
 * ABC classes (Pareto share of revenue) and lifecycle stages for every active customer of a tenant,
 * in one pass; the rule and inputs are stored with each customer, and a change of class or stage
 * emits `crm.customer.segment-changed.v1`.
 */
@Injectable()
export class SegmentService {
  private readonly log = new Logger('Segmentation');

  constructor(
    private readonly db: Database,
    private readonly tx: TransactionRunner,
  ) {}

  async classify(o: ClassifyOptions = {}) {
    const tenant = o.tenant ?? 'default';
    const asOf = o.asOf ? new Date(o.asOf) : new Date();
    if (Number.isNaN(asOf.getTime())) throw new AppError('invalid', `asOf "${o.asOf}" is not a date`);
    const windowDays = o.windowDays ?? 90;
    const cutoffs = o.cutoffs ?? DEFAULT_CUTOFFS;
    if (!(cutoffs.a > 0 && cutoffs.b >= 0 && cutoffs.a + cutoffs.b <= 1))
      throw new AppError('invalid', 'cutoffs: a > 0, b >= 0 and a + b <= 1');
    const rows = await this.db.sql<{
      customer_id: string;
      revenue: number;
      recent: number;
      previous: number;
      first: Date | null;
      revenue_recent: number;
      revenue_previous: number;
      revenue_12m: number;
      cost_12m: number | null;
    }>(
      `WITH rec AS (SELECT r.customer_id, r.source, r.external_id FROM crm_customer_record r
                      JOIN crm_customer c ON c.id = r.customer_id WHERE c.tenant = $1 AND c.status = 'active'),
            o AS (SELECT rec.customer_id, o.total_amount, o.ordered_at FROM crm_order o
                    JOIN rec ON o.customer_source = rec.source AND o.customer_external_id = rec.external_id
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
        WHERE c.tenant = $1 AND c.status = 'active' GROUP BY c.id`,
      [tenant, asOf.toISOString(), windowDays],
    );
    const trend = new Map(rows.map((r) => [r.customer_id, r]));
    const abc = classifyAbc(
      rows.map((r) => ({ customerId: r.customer_id, revenue: r.revenue })),
      cutoffs,
    );
    const vipRanks = Math.ceil(abc.length * DEFAULT_VALUE_OPTIONS.vipTopShare);
    const results = abc.map((a, rank) => {
      const t = trend.get(a.customerId) as (typeof rows)[number];
      const ageDays = t.first ? Math.floor((asOf.getTime() - new Date(t.first).getTime()) / 86_400_000) : 0;
      const life = lifecycleStage({ recent: t.recent, previous: t.previous, ageDays, windowDays });
      const abcReason = `${a.abc}: ${(a.share * 100).toFixed(2)} % of revenue, rank ${rank + 1} of ${abc.length}, cumulative ${(a.cumulative * 100).toFixed(2)} % (cut-offs A ${cutoffs.a * 100} %, B ${cutoffs.b * 100} %)`;
      const value = customerValue({
        revenueRecent: t.revenue_recent,
        revenuePrevious: t.revenue_previous,
        revenue12m: t.revenue_12m,
        cost12m: t.cost_12m,
        lifecycle: life.stage,
      });
      const vip = a.abc === 'A' && rank < vipRanks && a.revenue > 0;
      const vipReason = vip
        ? `; VIP: class A and in the top ${DEFAULT_VALUE_OPTIONS.vipTopShare * 100} % by revenue (rank ${rank + 1})`
        : '';
      return {
        customer_id: a.customerId,
        tenant,
        vip,
        value_class: value.valueClass,
        margin: value.margin,
        clv: value.clv,
        abc: a.abc,
        revenue: a.revenue,
        share: a.share,
        cumulative_share: Math.min(1, a.cumulative),
        lifecycle: life.stage,
        reason: `${abcReason}; ${life.stage}: ${life.reason}; ${value.reason}${vipReason}`,
        inputs: {
          revenueRecent: t.revenue_recent,
          revenuePrevious: t.revenue_previous,
          revenue12m: t.revenue_12m,
          cost12m: t.cost_12m,
          growth: value.growth,
          marginShare: value.marginShare,
          policy: value.policy,
          valueOptions: DEFAULT_VALUE_OPTIONS,
          asOf: asOf.toISOString(),
          windowDays,
          cutoffs,
          rank: rank + 1,
          recent: t.recent,
          previous: t.previous,
          ageDays,
        },
      };
    });
    const changed = await this.tx.run(async (uow) => {
      // Two processes classifying one tenant at once: the second sees the first's result as before.
      await uow.tx.query(`SELECT pg_advisory_xact_lock(hashtext('tradelane:segments:' || $1))`, [tenant]);
      const before: {
        customer_id: string;
        abc: string;
        lifecycle: string;
        vip: boolean;
        value_class: string | null;
      }[] = await uow.tx.query(
        `SELECT customer_id, abc, lifecycle, vip, value_class FROM crm_customer_segment WHERE tenant = $1`,
        [tenant],
      );
      const prior = new Map(before.map((b) => [b.customer_id, b]));
      await uow.tx.query(
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
      const moved = results.filter((r) => {
        const p = prior.get(r.customer_id);
        return (
          !p ||
          p.abc !== r.abc ||
          p.lifecycle !== r.lifecycle ||
          p.vip !== r.vip ||
          p.value_class !== r.value_class
        );
      });
      await uow.emit(
        moved.map((r) =>
          createEnvelope({
            type: 'crm.customer.segment-changed.v1',
            source: CRM_SOURCE,
            tenant,
            key: r.customer_id,
            payload: {
              customerId: r.customer_id,
              abc: r.abc,
              previousAbc: prior.get(r.customer_id)?.abc ?? null,
              lifecycle: r.lifecycle,
              previousLifecycle: prior.get(r.customer_id)?.lifecycle ?? null,
              vip: r.vip,
              valueClass: r.value_class,
              reason: r.reason,
            },
          }),
        ),
      );
      return moved.length;
    });
    const summary = { A: 0, B: 0, C: 0 } as Record<string, number>;
    const shares = { A: 0, B: 0, C: 0 } as Record<string, number>;
    for (const r of results) {
      summary[r.abc]++;
      shares[r.abc] += r.share;
    }
    this.log.log(
      `classified ${results.length} customers (A ${summary.A}, B ${summary.B}, C ${summary.C}); ${changed} changed`,
    );
    return { customers: results.length, classes: summary, shares, changed, asOf: asOf.toISOString() };
  }

  async ofCustomer(customerId: string) {
    const [row] = await this.db.sql(
      `SELECT customer_id AS "customerId", abc, revenue::float AS revenue, share::float AS share,
              cumulative_share::float AS "cumulativeShare", lifecycle, vip, value_class AS "valueClass",
              margin::float AS margin, clv::float AS clv, inputs->>'policy' AS "servicePolicy", reason, inputs,
              classified_at AS "classifiedAt"
         FROM crm_customer_segment WHERE customer_id = $1`,
      [customerId],
    );
    if (!row)
      throw new AppError(
        'not-found',
        `customer ${customerId} has not been classified yet (POST /segments/classify)`,
      );
    return row;
  }

  /** Records what serving the customer cost per month (replaces a month sent again). */
  async setCosts(customerId: string, entries: { month: string; amount: number; note?: string }[]) {
    const c = await this.db.sql<{ id: string; tenant: string }>(
      `SELECT id, tenant FROM crm_customer WHERE id = $1`,
      [customerId],
    );
    if (!c.length) throw new AppError('not-found', `customer ${customerId} not found`);
    await this.db.sql(
      `INSERT INTO crm_customer_cost (customer_id, period_start, tenant, amount, note)
       SELECT $1, (t.month || '-01')::date, $2, t.amount, t.note FROM jsonb_to_recordset($3::jsonb) AS t(month text, amount numeric, note text)
       ON CONFLICT (customer_id, period_start) DO UPDATE SET amount = EXCLUDED.amount, note = EXCLUDED.note, updated_at = now()`,
      [c[0].id, c[0].tenant, JSON.stringify(entries.map((e) => ({ ...e, note: e.note ?? null })))],
    );
    return this.db.sql(
      `SELECT to_char(period_start, 'YYYY-MM') AS month, amount::float AS amount, note FROM crm_customer_cost
        WHERE customer_id = $1 ORDER BY period_start`,
      [c[0].id],
    );
  }
}
