import { InvoiceStatus } from '@tradelane/contracts';
import { Column, Entity, Index, Unique } from 'typeorm';
import { createdXidColumn } from '../context/feed-position';
import { CustomerChildEntity } from '../context/source-record.entity';

/** An invoice from the billing system, newest event wins; names its customer record like an order. */
@Entity({ name: 'crm_invoice' })
@Index('crm_invoice_feed_idx', ['tenant', 'createdXid', 'id'])
@Unique('crm_invoice_external_uq', ['tenant', 'source', 'externalId'])
@Index('crm_invoice_customer_ref_idx', ['tenant', 'customerSource', 'customerExternalId', 'dueAt'])
@Index('crm_invoice_due_idx', ['dueAt'])
export class Invoice extends CustomerChildEntity {
  /** The inserting transaction (the partner lists' order: context/feed-position.ts). */
  @createdXidColumn() createdXid: string;
  @Column({ name: 'order_external_id', type: 'text', nullable: true })
  orderExternalId: string | null;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt: Date;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'text' })
  currency: string;

  @Column({ name: 'total_amount', type: 'numeric', precision: 14, scale: 4 })
  totalAmount: string;

  @Column({ name: 'paid_amount', type: 'numeric', precision: 14, scale: 4, default: 0 })
  paidAmount: string;

  @Column({ type: 'text' })
  status: InvoiceStatus;

  @Column({ type: 'boolean', default: false })
  disputed: boolean;

  @Column({ name: 'dispute_reason', type: 'text', nullable: true })
  disputeReason: string | null;

  /** The due date crm.invoice.overdue.v1 was raised for (InvoiceOverdueService), null before. */
  @Column({ name: 'overdue_raised_for', type: 'timestamptz', nullable: true, select: false })
  overdueRaisedFor: Date | null;
}
