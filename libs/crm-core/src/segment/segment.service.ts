import { Injectable, Logger } from '@nestjs/common';
import { createEnvelope } from '@tradelane/contracts';
import { AppError, requestTenant } from '@tradelane/http';
import { TransactionRunner } from '../context/transaction.runner';
import { CustomerDirectory } from '../customer/customer-directory';
import { CRM_SOURCE } from '../customer/customer.constants';
import { SegmentRepository } from './segment.repository';
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
    private readonly segments: SegmentRepository,
    private readonly customers: CustomerDirectory,
    private readonly tx: TransactionRunner,
  ) {}

  /** Tenants that have customers. */
  tenants(): Promise<string[]> {
    return this.segments.tenants();
  }

  async classify(o: ClassifyOptions = {}) {
    const tenant = requestTenant(o.tenant);
    const asOf = o.asOf ? new Date(o.asOf) : new Date();
    if (Number.isNaN(asOf.getTime())) throw new AppError('invalid', `asOf "${o.asOf}" is not a date`);
    const windowDays = o.windowDays ?? 90;
    const cutoffs = o.cutoffs ?? DEFAULT_CUTOFFS;
    if (!(cutoffs.a > 0 && cutoffs.b >= 0 && cutoffs.a + cutoffs.b <= 1))
      throw new AppError('invalid', 'cutoffs: a > 0, b >= 0 and a + b <= 1');
    const rows = await this.segments.inputs(tenant, asOf, windowDays);
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
      await this.segments.lock(uow.tx, tenant);
      const before = await this.segments.current(uow.tx, tenant);
      const prior = new Map(before.map((b) => [b.customer_id, b]));
      await this.segments.save(uow.tx, results);
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
    const row = await this.segments.ofCustomer(customerId);
    if (!row)
      throw new AppError(
        'not-found',
        `customer ${customerId} has not been classified yet (POST /segments/classify)`,
      );
    return row;
  }

  /** Records what serving the customer cost per month (replaces a month sent again). */
  async setCosts(customerId: string, entries: { month: string; amount: number; note?: string }[]) {
    const c = await this.customers.row(customerId);
    if (!c) throw new AppError('not-found', `customer ${customerId} not found`);
    await this.segments.setCosts(c.tenant, c.id, entries);
    return this.segments.costsOf(c.id);
  }
}
