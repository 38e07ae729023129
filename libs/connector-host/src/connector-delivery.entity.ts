import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * conflict: the system's record changed since the CRM read it; not overwritten, kept for a person.
 * resolved: a person settled a conflict by taking the system's value (re-pulled into the CRM).
 */
export type DeliveryState = 'pending' | 'sent' | 'failed' | 'conflict' | 'resolved';
export const DELIVERY_STATES: readonly DeliveryState[] = [
  'pending',
  'sent',
  'failed',
  'conflict',
  'resolved',
];

/**
 * A CRM event owed to one connector instance (the `send` capability): written when the event is
 * consumed, in that transaction, so each instance gets each event once, in order, paused or not;
 * the sender sends pending ones to running instances and marks them.
 */
@Entity({ name: 'connector_delivery' })
@Index('connector_delivery_pending_idx', ['instanceId', 'state', 'seq'])
export class ConnectorDelivery {
  @PrimaryColumn({ name: 'instance_id', type: 'text' })
  instanceId: string;

  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId: string;

  /** Arrival order: events are sent in it. */
  @Column({ type: 'bigint', generated: 'increment' })
  seq: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb' })
  envelope: Record<string, unknown>;

  @Column({ type: 'text', default: 'pending' })
  state: DeliveryState;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** Send even though the system's record changed since the CRM read it (a person chose the CRM's value). */
  @Column({ type: 'boolean', default: false })
  force: boolean;

  /** How a person settled it: `crm` (re-sent, overwriting) or `system` (the system's value taken), with who and why. */
  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;
}
