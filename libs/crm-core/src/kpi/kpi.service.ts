import { Inject, Injectable, Logger } from '@nestjs/common';
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { TransactionRunner } from '../context/transaction.runner';
import { UnitOfWork } from '../context/unit-of-work';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { CRM_SOURCE } from '../customer/customer.constants';
import { FACT_SQL, PERIODS_SQL, SUBJECT_KINDS, UPSERT_VALUES_SQL } from './kpi-facts.sql';

type Runner = Pick<EntityManager, 'query'>;
export type { DirtyKind } from './kpi-marks.repository';

interface Touched {
  customer_source: string;
  customer_external_id: string;
  kpi: string;
  at: string;
}

interface Missed {
  customer_id: string;
  kpi: string;
  period: string;
  period_start: string;
  value: number;
  target: number;
  direction: string;
  n: number;
}

const GROUP = `count(*)::int AS n, count(*) FILTER (WHERE f.hit)::int AS hits,
  (percentile_cont(0.5) WITHIN GROUP (ORDER BY f.value))::numeric AS p50,
  (percentile_cont(0.9) WITHIN GROUP (ORDER BY f.value))::numeric AS p90`;
const RECORD_OF_FACT = `crm_customer_record r ON r.tenant = f.tenant AND r.source = f.customer_source
  AND r.external_id = f.customer_external_id`;
const DRAIN_KEY = `hashtext('tradelane:kpi-refresh')`;

/**
 * Service KPIs: facts per record (kpi-facts.sql.ts), values per customer and period with the
 * agreement's targets, incremental refresh of what changed, and `crm.kpi.target-missed.v1` when a
 * value starts missing its target.
 */
@Injectable()
export class KpiService {
  private readonly log = new Logger('Kpis');

  constructor(
    private readonly db: Database,
    private readonly tx: TransactionRunner,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  async pending(): Promise<number> {
    const [r] = await this.db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM crm_kpi_dirty`);
    return r.n;
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
        if (o.wait) await uow.tx.query(`SELECT pg_advisory_xact_lock(${DRAIN_KEY})`);
        else if (
          !(
            (await uow.tx.query(`SELECT pg_try_advisory_xact_lock(${DRAIN_KEY}) AS ok`)) as { ok: boolean }[]
          )[0].ok
        )
          return undefined;
        const dirty: { tenant: string; subject_kind: string; subject_id: string }[] = await uow.tx.query(
          `WITH taken AS (
             DELETE FROM crm_kpi_dirty WHERE (subject_kind, subject_id) IN (
               SELECT subject_kind, subject_id FROM crm_kpi_dirty ORDER BY marked_at LIMIT $1)
             RETURNING tenant, subject_kind, subject_id)
           SELECT * FROM taken`,
          [batch],
        );
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
    const expand = async (sql: string, from: string[]) =>
      from.length ? ((await tx.query(sql, [tenant, from])) as { id: string }[]).map((r) => r.id) : [];
    const caseLinks: { delivery_id: string | null; invoice_id: string | null }[] = ids.case.length
      ? await tx.query(
          `SELECT d.id AS delivery_id, i.id AS invoice_id FROM crm_case k
             LEFT JOIN crm_delivery d ON d.tenant = k.tenant AND d.source = k.delivery_source AND d.external_id = k.delivery_external_id
             LEFT JOIN crm_invoice i ON i.tenant = k.tenant AND i.source = k.invoice_source AND i.external_id = k.invoice_external_id
            WHERE k.tenant = $1 AND k.id = ANY($2::uuid[])`,
          [tenant, ids.case],
        )
      : [];
    const deliveries = [
      ...ids.delivery,
      ...caseLinks.flatMap((c) => (c.delivery_id ? [c.delivery_id] : [])),
      ...(await expand(
        `SELECT d.id FROM crm_order o JOIN crm_delivery d ON d.tenant = o.tenant AND d.order_source = o.source
            AND d.order_external_id = o.external_id WHERE o.tenant = $1 AND o.id = ANY($2::uuid[])`,
        ids.order,
      )),
    ];
    const orders = [
      ...ids.order,
      ...(await expand(
        `SELECT o.id FROM crm_delivery d JOIN crm_order o ON o.tenant = d.tenant AND o.source = d.order_source
            AND o.external_id = d.order_external_id WHERE d.tenant = $1 AND d.id = ANY($2::uuid[])`,
        ids.delivery,
      )),
    ];
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
      touched.push(...(await this.rederive(tx, tenant, kind, list)));
    }
    return this.recomputeTouched(uow, tenant, touched);
  }

  private async rederive(tx: Runner, tenant: string, kind: string, ids: string[] | null): Promise<Touched[]> {
    const RET = `RETURNING customer_source, customer_external_id, kpi, at`;
    const gone: Touched[] = await tx.query(
      `WITH gone AS (DELETE FROM crm_kpi_fact WHERE tenant = $1 AND subject_kind = $2
         AND ($3::uuid[] IS NULL OR subject_id = ANY($3::uuid[])) ${RET}) SELECT * FROM gone`,
      [tenant, kind, ids],
    );
    const made: Touched[] = await tx.query(
      `INSERT INTO crm_kpi_fact (kpi, subject_kind, subject_id, part, subject_ref, customer_source, customer_external_id, at, hit, value, tenant)
       SELECT f.*, $1 FROM (${FACT_SQL[kind]}) AS f ${RET}`,
      [tenant, ids],
    );
    return [...gone, ...made];
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
    const missed: Missed[] = await uow.tx.query(
      `WITH keys AS (
         SELECT DISTINCT r.customer_id, t.kpi, p.period, date_trunc(p.period, t.at, 'UTC') AS ps
           FROM jsonb_to_recordset($3::jsonb) AS t(customer_source text, customer_external_id text, kpi text, at timestamptz)
           JOIN crm_customer_record r ON r.tenant = $1 AND r.source = t.customer_source AND r.external_id = t.customer_external_id
          CROSS JOIN ${PERIODS_SQL}),
       g AS (
         SELECT k.customer_id, k.kpi, k.period, (k.ps AT TIME ZONE 'UTC')::date AS period_start, ${GROUP}
           FROM keys k JOIN crm_customer_record r ON r.customer_id = k.customer_id
           JOIN crm_kpi_fact f ON f.tenant = $1 AND f.customer_source = r.source AND f.customer_external_id = r.external_id
            AND f.kpi = k.kpi AND f.at >= k.ps AND f.at < k.ps + ('1 ' || k.period)::interval
          GROUP BY 1, 2, 3, 4),
       gone AS (
         DELETE FROM crm_kpi_value x USING keys k
          WHERE x.customer_id = k.customer_id AND x.kpi = k.kpi AND x.period = k.period
            AND x.period_start = (k.ps AT TIME ZONE 'UTC')::date
            AND NOT EXISTS (SELECT 1 FROM g WHERE g.customer_id = x.customer_id AND g.kpi = x.kpi
                               AND g.period = x.period AND g.period_start = x.period_start)),
       ${UPSERT_VALUES_SQL}`,
      [tenant, this.config.kpiAlertPeriods, JSON.stringify(unique), this.config.kpiAlertLookbackDays],
    );
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
    const missed: Missed[] = await uow.tx.query(
      `WITH g AS (
         SELECT r.customer_id, f.kpi, p.period, (date_trunc(p.period, f.at, 'UTC') AT TIME ZONE 'UTC')::date AS period_start, ${GROUP}
           FROM crm_kpi_fact f JOIN ${RECORD_OF_FACT} CROSS JOIN ${PERIODS_SQL}
          WHERE f.tenant = $1 AND ($3::uuid[] IS NULL OR r.customer_id = ANY($3::uuid[]))
          GROUP BY 1, 2, 3, 4),
       gone AS (
         DELETE FROM crm_kpi_value x WHERE x.tenant = $1 AND ($3::uuid[] IS NULL OR x.customer_id = ANY($3::uuid[]))
            AND NOT EXISTS (SELECT 1 FROM g WHERE g.customer_id = x.customer_id AND g.kpi = x.kpi
                               AND g.period = x.period AND g.period_start = x.period_start)),
       ${UPSERT_VALUES_SQL}`,
      [tenant, this.config.kpiAlertPeriods, customerIds, this.config.kpiAlertLookbackDays],
    );
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
      await uow.tx.query(`SELECT pg_advisory_xact_lock(${DRAIN_KEY})`);
      const [r] = (await uow.tx.query(
        `WITH gone AS (DELETE FROM crm_kpi_dirty WHERE tenant = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
        [tenant],
      )) as { n: number }[];
      return r.n;
    });
    let facts = 0;
    for (const [i, kind] of SUBJECT_KINDS.entries()) {
      await progress({ phase: `facts:${kind}`, step: i, steps, facts, takenOver });
      const t = Date.now();
      facts += await this.tx.run(async (uow) => {
        await uow.tx.query(`SELECT pg_advisory_xact_lock(${DRAIN_KEY})`);
        await uow.tx.query(`DELETE FROM crm_kpi_fact WHERE tenant = $1 AND subject_kind = $2`, [
          tenant,
          kind,
        ]);
        const [r] = (await uow.tx.query(
          `WITH ins AS (INSERT INTO crm_kpi_fact (kpi, subject_kind, subject_id, part, subject_ref, customer_source, customer_external_id, at, hit, value, tenant)
             SELECT f.*, $1 FROM (${FACT_SQL[kind]}) AS f RETURNING 1) SELECT count(*)::int AS n FROM ins`,
          [tenant, null],
        )) as { n: number }[];
        return r.n;
      });
      timings[`facts:${kind}`] = Date.now() - t;
      this.log.log(
        `recompute ${tenant}: step ${i + 1}/${steps}: ${kind} facts in ${timings[`facts:${kind}`]} ms`,
      );
    }
    await progress({ phase: 'values', step: SUBJECT_KINDS.length, steps, facts, takenOver });
    const t = Date.now();
    const missed = await this.tx.run(async (uow) => {
      await uow.tx.query(`SELECT pg_advisory_xact_lock(${DRAIN_KEY})`);
      await uow.tx.query(`ANALYZE crm_kpi_fact`); // the planner needs the new row counts
      return this.recomputeCustomers(uow, tenant, null);
    });
    timings.values = Date.now() - t;
    this.log.log(
      `recompute ${tenant}: step ${steps}/${steps}: values in ${timings.values} ms, ${missed} targets newly missed`,
    );
    const [values] = await this.db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM crm_kpi_value WHERE tenant = $1`,
      [tenant],
    );
    return { tenant, facts, values: values.n, missed, takenOver, ms: Date.now() - started, timings };
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
