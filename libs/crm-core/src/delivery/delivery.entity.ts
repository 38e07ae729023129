import { DeliveryStatus, PackageV1, PartyRefV1 } from '@tradelane/contracts';
import { Column, Entity, Index, Unique } from 'typeorm';
import { createdXidColumn } from '../context/feed-position';
import { SourceKeyedEntity } from '../context/source-record.entity';

/**
 * A delivery / shipment, folded from its status events (`crm_delivery_event`): the status is the
 * one with the latest event time, and every other attribute is the latest value any event gave,
 * so a late, older event never regresses it and any arrival order gives the same row.
 */
@Entity({ name: 'crm_delivery' })
@Index('crm_delivery_feed_idx', ['tenant', 'createdXid', 'id'])
@Unique('crm_delivery_external_uq', ['tenant', 'source', 'externalId'])
@Index('crm_delivery_customer_ref_idx', ['tenant', 'customerSource', 'customerExternalId', 'statusAt'])
@Index('crm_delivery_order_ref_idx', ['tenant', 'orderSource', 'orderExternalId'])
export class Delivery extends SourceKeyedEntity {
  /** The inserting transaction (the partner lists' order: context/feed-position.ts). */
  @createdXidColumn() createdXid: string;
  @Column({ name: 'order_source', type: 'text', nullable: true })
  orderSource: string | null;

  @Column({ name: 'order_external_id', type: 'text', nullable: true })
  orderExternalId: string | null;

  @Column({ name: 'customer_source', type: 'text', nullable: true })
  customerSource: string | null;

  @Column({ name: 'customer_external_id', type: 'text', nullable: true })
  customerExternalId: string | null;

  @Column({ type: 'text' })
  status: DeliveryStatus;

  @Column({ name: 'source_status', type: 'text', nullable: true })
  sourceStatus: string | null;

  /** Event time of the current status. */
  @Column({ name: 'status_at', type: 'timestamptz' })
  statusAt: Date;

  @Column({ type: 'text', nullable: true })
  carrier: string | null;

  @Column({ name: 'tracking_refs', type: 'jsonb', default: () => "'[]'" })
  trackingRefs: string[];

  @Column({ name: 'promised_from', type: 'timestamptz', nullable: true })
  promisedFrom: Date | null;

  @Column({ name: 'promised_to', type: 'timestamptz', nullable: true })
  promisedTo: Date | null;

  @Column({ name: 'picked_up_at', type: 'timestamptz', nullable: true })
  pickedUpAt: Date | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  packages: PackageV1[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  parties: PartyRefV1[];

  @Column({ name: 'event_count', type: 'int', default: 1 })
  eventCount: number;
}
