import { PartyRefV1 } from '@tradelane/contracts';
import { Column, Entity, Index, Unique } from 'typeorm';
import { createdXidColumn } from '../context/feed-position';
import { CustomerChildEntity } from '../context/source-record.entity';

export interface OrderLine {
  sku: string;
  description?: string;
  quantity: number;
  unitPrice: number;
  discount?: number;
}

/**
 * A customer order from one source. It names its customer by the customer record's key
 * (`customerSource`, `customerExternalId`); the unified customer is resolved through that record
 * when read, so the order holds whatever order the two arrive in, and follows its customer
 * through merges and unmerges without being rewritten.
 */
@Entity({ name: 'crm_order' })
@Index('crm_order_feed_idx', ['tenant', 'createdXid', 'id'])
@Unique('crm_order_external_uq', ['tenant', 'source', 'externalId'])
@Index('crm_order_customer_ref_idx', ['tenant', 'customerSource', 'customerExternalId', 'orderedAt'])
export class Order extends CustomerChildEntity {
  /** The inserting transaction (the partner lists' order: context/feed-position.ts). */
  @createdXidColumn() createdXid: string;
  @Column({ type: 'text', nullable: true })
  status: string | null;

  @Column({ name: 'ordered_at', type: 'timestamptz' })
  orderedAt: Date;

  /** Set when `ordered_at` is not the source's order date (a requested date, or the receipt time). */
  @Column({ name: 'ordered_at_basis', type: 'text', nullable: true })
  orderedAtBasis: string | null;

  @Column({ name: 'required_at', type: 'timestamptz', nullable: true })
  requiredAt: Date | null;

  @Column({ name: 'shipped_at', type: 'timestamptz', nullable: true })
  shippedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  carrier: string | null;

  @Column({ type: 'text', nullable: true })
  currency: string | null;

  @Column({ type: 'numeric', precision: 14, scale: 4, nullable: true })
  freight: string | null;

  /** Sum of quantity x unit price x (1 - discount) over the lines. */
  @Column({ name: 'total_amount', type: 'numeric', precision: 14, scale: 4, nullable: true })
  totalAmount: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  lines: OrderLine[];

  /** Other parties (shipper, consignee, bill-to...), each naming a customer record. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  parties: PartyRefV1[];
}
