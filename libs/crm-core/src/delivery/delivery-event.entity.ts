import { DeliveryStatus, DeliveryStatusChangedV1 } from '@tradelane/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One status event of a delivery: its timeline, and what the delivery row is folded from. */
@Entity({ name: 'crm_delivery_event' })
@Index('crm_delivery_event_delivery_idx', ['tenant', 'source', 'deliveryExternalId', 'occurredAt'])
export class DeliveryEvent {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'delivery_external_id', type: 'text' })
  deliveryExternalId: string;

  @Column({ type: 'text' })
  status: DeliveryStatus;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'jsonb' })
  payload: DeliveryStatusChangedV1;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;
}
