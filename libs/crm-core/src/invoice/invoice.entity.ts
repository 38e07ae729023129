import { InvoiceStatus } from '@tradelane/contracts';
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** An invoice from the billing system, newest event wins; names its customer record like an order. */
@Entity({ name: 'crm_invoice' })
@Unique('crm_invoice_external_uq', ['tenant', 'source', 'externalId'])
@Index('crm_invoice_customer_ref_idx', ['tenant', 'customerSource', 'customerExternalId', 'dueAt'])
export class Invoice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ name: 'customer_source', type: 'text' })
  customerSource: string;

  @Column({ name: 'customer_external_id', type: 'text' })
  customerExternalId: string;

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

  @Column({ name: 'source_updated_at', type: 'timestamptz' })
  sourceUpdatedAt: Date;

  @Column({ name: 'source_message_id', type: 'uuid' })
  sourceMessageId: string;

  @Column({ type: 'int', default: 1 })
  revision: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
