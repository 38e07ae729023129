import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { customerOf, customerRecords } from '../customer/customer-of.sql';
import { FACT_SQL, PERIODS_SQL, UPSERT_VALUES_SQL } from './kpi-facts.sql';

type Runner = Pick<EntityManager, 'query'>;

/** A fact that was derived or dropped: the (customer, KPI, day) whose values it changes. */
export interface Touched {
  customer_source: string;
  customer_external_id: string;
  kpi: string;
  at: string;
}

/** A value that started missing its target with this computation. */
export interface Missed {
  customer_id: string;
  kpi: string;
  period: string;
  period_start: string;
  value: number;
  target: number;
  direction: string;
  n: number;
}

/** How values are computed: which periods raise a missed target, and how far back. */
export interface ValueOptions {
  alertPeriods: string[];
  lookbackDays: number;
}

const GROUP = `count(*)::int AS n, count(*) FILTER (WHERE f.hit)::int AS hits,
  (percentile_cont(0.5) WITHIN GROUP (ORDER BY f.value))::numeric AS p50,
  (percentile_cont(0.9) WITHIN GROUP (ORDER BY f.value))::numeric AS p90`;
const DRAIN_KEY = `hashtext('tradelane:kpi-refresh')`;
const FACT_COLUMNS = `kpi, subject_kind, subject_id, part, subject_ref, customer_source, customer_external_id, at, hit, value, tenant`;

/**
 * The KPI feature's tables: facts per record (derived by the SQL of kpi-facts.sql.ts from the
 * records of the other features, read only), values per customer and period, the marks of records
 * to derive again.
 */
@Injectable()
export class KpiRepository {
  constructor(private readonly db: Database) {}

  async pending(): Promise<number> {
    const [r] = await this.db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM crm_kpi_dirty`);
    return r.n;
  }

  /** The refresh lock (one refresher at a time), for this transaction: waits, or answers false when held. */
  async lock(tx: Runner, wait: boolean): Promise<boolean> {
    if (wait) {
      await tx.query(`SELECT pg_advisory_xact_lock(${DRAIN_KEY})`);
      return true;
    }
    const [r]: { ok: boolean }[] = await tx.query(`SELECT pg_try_advisory_xact_lock(${DRAIN_KEY}) AS ok`);
    return r.ok;
  }

  /** Takes up to `batch` marks, oldest first. */
  takeDirty(
    tx: Runner,
    batch: number,
  ): Promise<{ tenant: string; subject_kind: string; subject_id: string }[]> {
    return tx.query(
      `WITH taken AS (
         DELETE FROM crm_kpi_dirty WHERE (subject_kind, subject_id) IN (
           SELECT subject_kind, subject_id FROM crm_kpi_dirty ORDER BY marked_at LIMIT $1)
         RETURNING tenant, subject_kind, subject_id)
       SELECT * FROM taken`,
      [batch],
    );
  }

  /** Drops every mark of a tenant (a full recompute covers them); answers how many. */
  async clearDirty(tx: Runner, tenant: string): Promise<number> {
    const [r]: { n: number }[] = await tx.query(
      `WITH gone AS (DELETE FROM crm_kpi_dirty WHERE tenant = $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      [tenant],
    );
    return r.n;
  }

  /** The delivery and invoice each case is about (a case changes their complaint facts). */
  caseLinks(
    tx: Runner,
    tenant: string,
    caseIds: string[],
  ): Promise<{ delivery_id: string | null; invoice_id: string | null }[]> {
    if (!caseIds.length) return Promise.resolve([]);
    return tx.query(
      `SELECT d.id AS delivery_id, i.id AS invoice_id FROM crm_case k
         LEFT JOIN crm_delivery d ON d.tenant = k.tenant AND d.source = k.delivery_source AND d.external_id = k.delivery_external_id
         LEFT JOIN crm_invoice i ON i.tenant = k.tenant AND i.source = k.invoice_source AND i.external_id = k.invoice_external_id
        WHERE k.tenant = $1 AND k.id = ANY($2::uuid[])`,
      [tenant, caseIds],
    );
  }

  /** The deliveries of these orders (they may name their customer through the order). */
  deliveriesOfOrders(tx: Runner, tenant: string, orderIds: string[]): Promise<string[]> {
    return this.ids(
      tx,
      `SELECT d.id FROM crm_order o JOIN crm_delivery d ON d.tenant = o.tenant AND d.order_source = o.source
          AND d.order_external_id = o.external_id WHERE o.tenant = $1 AND o.id = ANY($2::uuid[])`,
      tenant,
      orderIds,
    );
  }

  /** The orders of these deliveries (a delivery gives its order a cycle time). */
  ordersOfDeliveries(tx: Runner, tenant: string, deliveryIds: string[]): Promise<string[]> {
    return this.ids(
      tx,
      `SELECT o.id FROM crm_delivery d JOIN crm_order o ON o.tenant = d.tenant AND o.source = d.order_source
          AND o.external_id = d.order_external_id WHERE d.tenant = $1 AND d.id = ANY($2::uuid[])`,
      tenant,
      deliveryIds,
    );
  }

  private async ids(tx: Runner, sql: string, tenant: string, from: string[]): Promise<string[]> {
    if (!from.length) return [];
    return ((await tx.query(sql, [tenant, from])) as { id: string }[]).map((r) => r.id);
  }

  /** Derives the facts of these records (all of the kind when null) again; returns what it dropped and made. */
  async rederive(tx: Runner, tenant: string, kind: string, ids: string[] | null): Promise<Touched[]> {
    const RET = `RETURNING customer_source, customer_external_id, kpi, at`;
    const gone: Touched[] = await tx.query(
      `WITH gone AS (DELETE FROM crm_kpi_fact WHERE tenant = $1 AND subject_kind = $2
         AND ($3::uuid[] IS NULL OR subject_id = ANY($3::uuid[])) ${RET}) SELECT * FROM gone`,
      [tenant, kind, ids],
    );
    const made: Touched[] = await tx.query(
      `INSERT INTO crm_kpi_fact (${FACT_COLUMNS}) SELECT f.*, $1 FROM (${FACT_SQL[kind]}) AS f ${RET}`,
      [tenant, ids],
    );
    return [...gone, ...made];
  }

  /** Derives every fact of one kind of a tenant again (a full recompute step); answers how many. */
  async deriveAll(tx: Runner, tenant: string, kind: string): Promise<number> {
    await tx.query(`DELETE FROM crm_kpi_fact WHERE tenant = $1 AND subject_kind = $2`, [tenant, kind]);
    const [r]: { n: number }[] = await tx.query(
      `WITH ins AS (INSERT INTO crm_kpi_fact (${FACT_COLUMNS})
         SELECT f.*, $1 FROM (${FACT_SQL[kind]}) AS f RETURNING 1) SELECT count(*)::int AS n FROM ins`,
      [tenant, null],
    );
    return r.n;
  }

  /** Fresh planner statistics after a bulk derivation. */
  async analyze(tx: Runner): Promise<void> {
    await tx.query(`ANALYZE crm_kpi_fact`);
  }

  /**
   * Recomputes the (customer, KPI, period) values that contain the touched facts. The planner
   * cannot know how many keys the JSON holds (it guesses a handful), so the query is written for
   * the batch sizes an import brings (hundreds of keys): the facts of a key are found through a
   * LATERAL lookup on the fact index (customer record, KPI, time; OFFSET 0 keeps the planner from
   * flattening it into a join that filters every fact of the customer), and the values left without facts
   * are a set difference, not a NOT EXISTS over the groups (a nested loop of keys times groups).
   */
  recomputeTouched(tx: Runner, tenant: string, touched: Touched[], o: ValueOptions): Promise<Missed[]> {
    return tx.query(
      `WITH keys AS (
         SELECT DISTINCT r.customer_id, t.kpi, p.period, date_trunc(p.period, t.at, 'UTC') AS ps
           FROM jsonb_to_recordset($3::jsonb) AS t(customer_source text, customer_external_id text, kpi text, at timestamptz)
           ${customerOf('t', { tenant: '$1' })}
          CROSS JOIN ${PERIODS_SQL}),
       g AS (
         SELECT k.customer_id, k.kpi, k.period, (k.ps AT TIME ZONE 'UTC')::date AS period_start, ${GROUP}
           FROM keys k JOIN ${customerRecords('r')} ON r.tenant = $1 AND r.customer_id = k.customer_id
          CROSS JOIN LATERAL (
            SELECT f.hit, f.value FROM crm_kpi_fact f
             WHERE f.tenant = $1 AND f.customer_source = r.source AND f.customer_external_id = r.external_id
               AND f.kpi = k.kpi AND f.at >= k.ps AND f.at < k.ps + ('1 ' || k.period)::interval
             OFFSET 0) f
          GROUP BY 1, 2, 3, 4),
       emptied AS (
         SELECT customer_id, kpi, period, (ps AT TIME ZONE 'UTC')::date AS period_start FROM keys
         EXCEPT SELECT customer_id, kpi, period, period_start FROM g),
       gone AS (
         DELETE FROM crm_kpi_value x USING emptied e
          WHERE x.customer_id = e.customer_id AND x.kpi = e.kpi AND x.period = e.period
            AND x.period_start = e.period_start),
       ${UPSERT_VALUES_SQL}`,
      [tenant, o.alertPeriods, JSON.stringify(touched), o.lookbackDays],
    );
  }

  /** Recomputes every value of the given customers (all of the tenant when null) from their facts. */
  recomputeCustomers(
    tx: Runner,
    tenant: string,
    customerIds: string[] | null,
    o: ValueOptions,
  ): Promise<Missed[]> {
    return tx.query(
      `WITH g AS (
         SELECT r.customer_id, f.kpi, p.period, (date_trunc(p.period, f.at, 'UTC') AT TIME ZONE 'UTC')::date AS period_start, ${GROUP}
           FROM crm_kpi_fact f ${customerOf('f')} CROSS JOIN ${PERIODS_SQL}
          WHERE f.tenant = $1 AND ($3::uuid[] IS NULL OR r.customer_id = ANY($3::uuid[]))
          GROUP BY 1, 2, 3, 4),
       gone AS (
         DELETE FROM crm_kpi_value x WHERE x.tenant = $1 AND ($3::uuid[] IS NULL OR x.customer_id = ANY($3::uuid[]))
            AND NOT EXISTS (SELECT 1 FROM g WHERE g.customer_id = x.customer_id AND g.kpi = x.kpi
                               AND g.period = x.period AND g.period_start = x.period_start)),
       ${UPSERT_VALUES_SQL}`,
      [tenant, o.alertPeriods, customerIds, o.lookbackDays],
    );
  }

  async countValues(tenant: string): Promise<number> {
    const [r] = await this.db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM crm_kpi_value WHERE tenant = $1`,
      [tenant],
    );
    return r.n;
  }
}
