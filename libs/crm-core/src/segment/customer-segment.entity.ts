import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A customer's current classification, with the rule and the inputs it was derived from. */
@Entity({ name: 'crm_customer_segment' })
@Index('crm_customer_segment_class_idx', ['tenant', 'abc'])
export class CustomerSegment {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ type: 'text' })
  abc: string;

  @Column({ type: 'numeric', precision: 16, scale: 4 })
  revenue: string;

  /** Share of the tenant's revenue, and cumulative share up to this customer (Pareto order). */
  @Column({ type: 'numeric', precision: 9, scale: 8 })
  share: string;

  @Column({ name: 'cumulative_share', type: 'numeric', precision: 9, scale: 8 })
  cumulativeShare: string;

  @Column({ type: 'text' })
  lifecycle: string;

  /** The rule applied and the numbers it used. */
  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'jsonb' })
  inputs: Record<string, unknown>;

  /** VIP: flagged by a person, or by the rule (top revenue share, see segment.util). */
  @Column({ type: 'boolean', default: false })
  vip: boolean;

  /** profitable | growth | low-profit-low-growth (profitability × growth), null without data. */
  @Column({ name: 'value_class', type: 'text', nullable: true })
  valueClass: string | null;

  /** Contribution margin over the window (revenue − cost) where cost data exists. */
  @Column({ type: 'numeric', precision: 16, scale: 4, nullable: true })
  margin: string | null;

  /** Customer lifetime value: discounted expected contribution (formula in segment.util). */
  @Column({ type: 'numeric', precision: 16, scale: 4, nullable: true })
  clv: string | null;

  @Column({ name: 'classified_at', type: 'timestamptz', default: () => 'now()' })
  classifiedAt: Date;
}

/** What serving a customer cost in a month (from the ERP's cost accounting, or imported): margin and CLV use it. */
@Entity({ name: 'crm_customer_cost' })
export class CustomerCost {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  /** First day of the month. */
  @PrimaryColumn({ name: 'period_start', type: 'date' })
  periodStart: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ type: 'numeric', precision: 16, scale: 4 })
  amount: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
