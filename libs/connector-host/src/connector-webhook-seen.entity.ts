import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Delivery ids (`webhook-id`) of signed pushes taken recently, per instance: a push whose id is
 * here is a replay and is refused. Kept for twice the signature tolerance (older ones are refused
 * by their timestamp anyway).
 */
@Entity({ name: 'connector_webhook_seen' })
@Index('connector_webhook_seen_at_idx', ['seenAt'])
export class ConnectorWebhookSeen {
  @PrimaryColumn({ name: 'instance_id', type: 'text' })
  instanceId: string;

  @PrimaryColumn({ name: 'webhook_id', type: 'text' })
  webhookId: string;

  @Column({ name: 'seen_at', type: 'timestamptz', default: () => 'now()' })
  seenAt: Date;
}
