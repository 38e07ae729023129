import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One record's contribution to one KPI: a delivery on time or not, an order's cycle time, an order
 * line shipped complete or not... KPI values are aggregates of these, and a drill-down lists them.
 */
@Entity({ name: 'crm_kpi_fact' })
@Index('crm_kpi_fact_customer_idx', ['tenant', 'customerSource', 'customerExternalId', 'kpi', 'at'])
export class KpiFact {
  /** delivery | order | invoice | case | inventory-count */
  @PrimaryColumn({ name: 'subject_kind', type: 'text' })
  subjectKind: string;

  @PrimaryColumn({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @PrimaryColumn({ type: 'text' })
  kpi: string;

  /** Order line number for line KPIs, 0 otherwise. */
  @PrimaryColumn({ type: 'int', default: 0 })
  part: number;

  @Column({ type: 'text' })
  tenant: string;

  /** `source/externalId` of the record, for people reading a drill-down. */
  @Column({ name: 'subject_ref', type: 'text' })
  subjectRef: string;

  @Column({ name: 'customer_source', type: 'text' })
  customerSource: string;

  @Column({ name: 'customer_external_id', type: 'text' })
  customerExternalId: string;

  /** When it counts (delivered, issued, due...): decides the period. */
  @Column({ type: 'timestamptz' })
  at: Date;

  /** Met the KPI's condition (on time, complete, damaged for the damage rate...). */
  @Column({ type: 'boolean', nullable: true })
  hit: boolean | null;

  /** Measured value for duration KPIs (hours). */
  @Column({ type: 'numeric', nullable: true })
  value: string | null;
}

/** A customer's KPI for one period, with the target of its agreement and whether it was met. */
@Entity({ name: 'crm_kpi_value' })
@Index('crm_kpi_value_period_idx', ['tenant', 'kpi', 'period', 'periodStart'])
export class KpiValue {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @PrimaryColumn({ type: 'text' })
  kpi: string;

  /** day | week | month (UTC). */
  @PrimaryColumn({ type: 'text' })
  period: string;

  @PrimaryColumn({ name: 'period_start', type: 'date' })
  periodStart: string;

  @Column({ type: 'text' })
  tenant: string;

  /** Records counted, and how many met the condition. */
  @Column({ type: 'int' })
  n: number;

  @Column({ type: 'int' })
  hits: number;

  /** Share 0..1 (hits / n), or the median hours for cycle times. */
  @Column({ type: 'numeric' })
  value: string;

  @Column({ type: 'numeric', nullable: true })
  p90: string | null;

  @Column({ type: 'numeric', nullable: true })
  target: string | null;

  @Column({ type: 'boolean', nullable: true })
  met: boolean | null;

  @Column({ name: 'computed_at', type: 'timestamptz', default: () => 'now()' })
  computedAt: Date;
}

/**
 * A record whose KPI facts must be derived again, written in the transaction that changed it and
 * drained by the KPI refresh job: ingestion stays one insert cheaper than recomputing inline.
 */
@Entity({ name: 'crm_kpi_dirty' })
export class KpiDirty {
  /** delivery | order | invoice | case | inventory-count | customer (all values of a customer). */
  @PrimaryColumn({ name: 'subject_kind', type: 'text' })
  subjectKind: string;

  @PrimaryColumn({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ name: 'marked_at', type: 'timestamptz', default: () => 'now()' })
  markedAt: Date;
}

export type KpiRecomputeState = 'running' | 'done' | 'failed';

/**
 * A full KPI recompute (`POST /kpis/recompute`): it runs in the background, one transaction per
 * record kind, and its progress is readable while it runs (`GET /kpis/recomputes/:id`).
 */
@Entity({ name: 'crm_kpi_recompute' })
@Index('crm_kpi_recompute_running_uq', ['tenant'], { unique: true, where: `state = 'running'` })
export class KpiRecompute {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ type: 'text', default: 'running' })
  state: KpiRecomputeState;

  /** What it is doing: `facts:delivery`, ..., `values`, `done`. */
  @Column({ type: 'text' })
  phase: string;

  @Column({ type: 'int', default: 0 })
  step: number;

  @Column({ type: 'int' })
  steps: number;

  /** Facts derived so far. */
  @Column({ type: 'int', default: 0 })
  facts: number;

  @Column({ type: 'int', nullable: true })
  values: number | null;

  /** Targets newly missed (each announced once). */
  @Column({ type: 'int', nullable: true })
  missed: number | null;

  /** Changed records the incremental refresh had not done yet, taken over at the start. */
  @Column({ name: 'taken_over', type: 'int', default: 0 })
  takenOver: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
