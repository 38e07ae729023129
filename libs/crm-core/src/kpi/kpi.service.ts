import { Inject, Injectable, Logger } from '@nestjs/common';
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { TransactionRunner } from '../context/transaction.runner';
import { UnitOfWork } from '../context/unit-of-work';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { CRM_SOURCE } from '../customer/customer.constants';
import { SUBJECT_KINDS } from './kpi-facts.sql';
import { KpiRepository, Missed, Touched, ValueOptions } from './kpi.repository';

export type { DirtyKind } from './kpi-marks.repository';

/**
 * Service KPIs: facts per record (kpi-facts.sql.ts), values per customer and period with the
 * agreement's targets, incremental refresh of what changed, and `crm.kpi.target-missed.v1` when a
 * value starts missing its target.
 */
@Injectable()
export class KpiService {
  private readonly log = new Logger('Kpis');

  constructor(
    private readonly kpis: KpiRepository,
    private readonly tx: TransactionRunner,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  pending(): Promise<number> {
    return this.kpis.pending();
  }

  private get values(): ValueOptions {
    return { alertPeriods: this.config.kpiAlertPeriods, lookbackDays: this.config.kpiAlertLookbackDays };
  }

  /**
   * Refreshes every marked record, `batch` at a time, until none is left. One refresher at a time
   * (advisory lock): values are recomputed from committed facts, so two would race. Returns
   * undefined when another process holds the lock.
   */
  async drain(
    o: { batch?: number; wait?: boolean } = {},
  ): Promise<{ subjects: number; missed: number } | undefined> {
    const batch = o.batch ?? 5_000;
    let subjects = 0;
    let missed = 0;
    for (;;) {
      const r = await this.tx.run(async (uow) => {
        if (!(await this.kpis.lock(uow.tx, !!o.wait))) return undefined;
        const dirty = await this.kpis.takeDirty(uow.tx, batch);
        let m = 0;
        for (const tenant of new Set(dirty.map((d) => d.tenant))) {
          const ids = (kind: string) =>
            dirty.filter((d) => d.tenant === tenant && d.subject_kind === kind).map((d) => d.subject_id);
          m += await this.refresh(uow, tenant, Object.fromEntries(SUBJECT_KINDS.map((k) => [k, ids(k)])));
          m += await this.recomputeCustomers(uow, tenant, ids('customer'));
        }
        return { n: dirty.length, m };
      });
      if (!r) return subjects || missed ? { subjects, missed } : undefined;
      subjects += r.n;
      missed += r.m;
      if (r.n < batch) return { subjects, missed };
    }
  }

  /** Derives the facts of the given records again and recomputes the values they touch. */
  private async refresh(uow: UnitOfWork, tenant: string, ids: Record<string, string[]>): Promise<number> {
    const tx = uow.tx;
    // A delivery's order has a cycle time; an order's deliveries may name their customer through it;
    // a case changes the complaint facts of its delivery and invoice.
    const caseLinks = await this.kpis.caseLinks(tx, tenant, ids.case);
    const deliveries = [
      ...ids.delivery,
      ...caseLinks.flatMap((c) => (c.delivery_id ? [c.delivery_id] : [])),
      ...(await this.kpis.deliveriesOfOrders(tx, tenant, ids.order)),
    ];
    const orders = [...ids.order, ...(await this.kpis.ordersOfDeliveries(tx, tenant, ids.delivery))];
    const subjects: Record<string, string[]> = {
      ...ids,
      delivery: deliveries,
      order: orders,
      invoice: [...ids.invoice, ...caseLinks.flatMap((c) => (c.invoice_id ? [c.invoice_id] : []))],
    };
    const touched: Touched[] = [];
    for (const kind of SUBJECT_KINDS) {
      const list = [...new Set(subjects[kind])];
      if (!list.length) continue;
      touched.push(...(await this.kpis.rederive(tx, tenant, kind, list)));
    }
    return this.recomputeTouched(uow, tenant, touched);
  }

  /** Recomputes the (customer, KPI, period) values that contain the touched facts. */
  private async recomputeTouched(uow: UnitOfWork, tenant: string, touched: Touched[]): Promise<number> {
    if (!touched.length) return 0;
    const unique = [
      ...new Map(
        touched.map((t) => [
          `${t.customer_source}\u0000${t.customer_external_id}\u0000${t.kpi}\u0000${new Date(t.at).toISOString().slice(0, 10)}`,
          t,
        ]),
      ).values(),
    ];
    const missed = await this.kpis.recomputeTouched(uow.tx, tenant, unique, this.values);
    await this.emitMissed(uow, tenant, missed);
    return missed.length;
  }

  /** Recomputes every value of the given customers (all when null) from their facts. */
  private async recomputeCustomers(
    uow: UnitOfWork,
    tenant: string,
    customerIds: string[] | null,
  ): Promise<number> {
    if (customerIds && !customerIds.length) return 0;
    const missed = await this.kpis.recomputeCustomers(uow.tx, tenant, customerIds, this.values);
    await this.emitMissed(uow, tenant, missed);
    return missed.length;
  }

  private async emitMissed(uow: UnitOfWork, tenant: string, missed: Missed[]): Promise<void> {
    if (!missed.length) return;
    const events: Envelope[] = missed.map((m) =>
      createEnvelope({
        type: 'crm.kpi.target-missed.v1',
        source: CRM_SOURCE,
        tenant,
        key: m.customer_id,
        payload: {
          customerId: m.customer_id,
          kpi: m.kpi,
          period: m.period,
          periodStart: m.period_start,
          value: m.value,
          target: m.target,
          direction: m.direction,
          sample: m.n,
          drillDown: `/customers/${m.customer_id}/kpis/${m.kpi}/records?period=${m.period}&start=${m.period_start}`,
        },
      }),
    );
    await uow.emit(events);
  }

  /**
   * Derives every fact of a tenant again and recomputes every value (after changing KPI rules or
   * a bulk load): one transaction per record kind, then one for the values, so the incremental
   * refresh is never queued behind it for long, and `progress` is told after each step. The
   * changed records the incremental refresh had not done yet when it started are taken over (the
   * full recompute covers them). Returns the counts and timings.
   */
  async recomputeAll(
    tenant = 'default',
    progress: (p: RecomputeProgress) => Promise<void> | void = () => undefined,
  ): Promise<RecomputeResult> {
    const started = Date.now();
    const timings: Record<string, number> = {};
    const steps = SUBJECT_KINDS.length + 1;
    const takenOver = await this.tx.run(async (uow) => {
      await this.kpis.lock(uow.tx, true);
      return this.kpis.clearDirty(uow.tx, tenant);
    });
    let facts = 0;
    for (const [i, kind] of SUBJECT_KINDS.entries()) {
      await progress({ phase: `facts:${kind}`, step: i, steps, facts, takenOver });
      const t = Date.now();
      facts += await this.tx.run(async (uow) => {
        await this.kpis.lock(uow.tx, true);
        return this.kpis.deriveAll(uow.tx, tenant, kind);
      });
      timings[`facts:${kind}`] = Date.now() - t;
      this.log.log(
        `recompute ${tenant}: step ${i + 1}/${steps}: ${kind} facts in ${timings[`facts:${kind}`]} ms`,
      );
    }
    await progress({ phase: 'values', step: SUBJECT_KINDS.length, steps, facts, takenOver });
    const t = Date.now();
    const missed = await this.tx.run(async (uow) => {
      await this.kpis.lock(uow.tx, true);
      await this.kpis.analyze(uow.tx); // the planner needs the new row counts
      return this.recomputeCustomers(uow, tenant, null);
    });
    timings.values = Date.now() - t;
    this.log.log(
      `recompute ${tenant}: step ${steps}/${steps}: values in ${timings.values} ms, ${missed} targets newly missed`,
    );
    const values = await this.kpis.countValues(tenant);
    return { tenant, facts, values, missed, takenOver, ms: Date.now() - started, timings };
  }
}

export interface RecomputeProgress {
  phase: string;
  step: number;
  steps: number;
  facts: number;
  takenOver: number;
}

export interface RecomputeResult {
  tenant: string;
  facts: number;
  values: number;
  missed: number;
  takenOver: number;
  ms: number;
  timings: Record<string, number>;
}
