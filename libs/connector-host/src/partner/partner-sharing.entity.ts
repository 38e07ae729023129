import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The first answer to a partner's write, by the `Idempotency-Key` it sent (per client): a retry
 * with the same key and body gets the same answer; the same key with another body is refused.
 * `status` is null while the first request is still being answered.
 */
@Entity({ name: 'partner_idempotency' })
export class PartnerIdempotency {
  @PrimaryColumn({ type: 'text' }) tenant: string;
  @PrimaryColumn({ name: 'principal_id', type: 'text' }) principalId: string;
  @PrimaryColumn({ name: 'idempotency_key', type: 'text' }) idempotencyKey: string;
  @Column({ name: 'partner_id', type: 'uuid' }) partnerId: string;
  @Column({ type: 'text' }) route: string;
  @Column({ name: 'request_hash', type: 'text' }) requestHash: string;
  @Column({ type: 'int', nullable: true }) status: number | null;
  @Column({ type: 'jsonb', nullable: true }) response: unknown;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}

/** One signing secret of a subscription, sealed; an old one keeps signing until `expiresAt`. */
export interface SealedWebhookSecret {
  sealed: string;
  createdAt: string;
  expiresAt: string | null;
}

/** A partner client's webhook: where to POST which events, signed with its secrets. */
@Entity({ name: 'partner_webhook_subscription' })
@Index('partner_webhook_subscription_partner_idx', ['tenant', 'partnerId'])
export class WebhookSubscription {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text' }) tenant: string;
  @Column({ name: 'partner_id', type: 'uuid' }) partnerId: string;
  /** The credential that made it (its scopes bound what the payloads show). */
  @Column({ name: 'principal_id', type: 'text' }) principalId: string;
  @Column({ type: 'text', array: true }) scopes: string[];
  @Column({ type: 'text' }) url: string;
  @Column({ name: 'event_types', type: 'text', array: true }) eventTypes: string[];
  @Column({ type: 'text', nullable: true }) description: string | null;
  /** Told when the subscription is marked failing. */
  @Column({ name: 'contact_email', type: 'text', nullable: true }) contactEmail: string | null;
  @Column({ type: 'jsonb' }) secrets: SealedWebhookSecret[];
  /** active | failing | paused */
  @Column({ type: 'text', default: 'active' }) status: string;
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true }) failingSince: Date | null;
  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true }) verifiedAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

/**
 * One event owed to one subscription: the payload as the partner may see it when the event
 * happened, and where its delivery stands. `event_id` is the `webhook-id` on every attempt.
 */
@Entity({ name: 'partner_webhook_delivery' })
@Index('partner_webhook_delivery_event_uq', ['subscriptionId', 'eventId'], { unique: true })
@Index('partner_webhook_delivery_due_idx', ['status', 'nextAttemptAt'])
@Index('partner_webhook_delivery_window_idx', ['subscriptionId', 'occurredAt'])
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text' }) tenant: string;
  @Column({ name: 'partner_id', type: 'uuid' }) partnerId: string;
  @Column({ name: 'subscription_id', type: 'uuid' }) subscriptionId: string;
  @Column({ name: 'event_id', type: 'uuid' }) eventId: string;
  @Column({ name: 'event_type', type: 'text' }) eventType: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt: Date;
  /** The crm event's payload (which record). */
  @Column({ type: 'jsonb' }) payload: unknown;
  /** The exact body sent, made at the first attempt from the record as the partner may see it. */
  @Column({ type: 'text', nullable: true }) body: string | null;
  /** pending | delivered | failed */
  @Column({ type: 'text', default: 'pending' }) status: string;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true }) nextAttemptAt: Date | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt: Date | null;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
}

/** The delivery log: one row per attempt (status, latency, response code, body excerpt). */
@Entity({ name: 'partner_webhook_attempt' })
@Index('partner_webhook_attempt_subscription_idx', ['subscriptionId', 'at'])
export class WebhookAttempt {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text' }) tenant: string;
  @Column({ name: 'partner_id', type: 'uuid' }) partnerId: string;
  @Column({ name: 'subscription_id', type: 'uuid' }) subscriptionId: string;
  @Column({ name: 'delivery_id', type: 'uuid' }) deliveryId: string;
  @Column({ name: 'event_id', type: 'uuid' }) eventId: string;
  @Column({ type: 'int' }) attempt: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at: Date;
  @Column({ type: 'boolean' }) ok: boolean;
  @Column({ name: 'status_code', type: 'int', nullable: true }) statusCode: number | null;
  @Column({ name: 'latency_ms', type: 'int' }) latencyMs: number;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ name: 'response_excerpt', type: 'text', nullable: true }) responseExcerpt: string | null;
}
