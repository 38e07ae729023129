import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type DeadLetterStatus = 'dead' | 'redriven';

/**
 * Dead-letter store: every time a consumer gave up on a message, with the raw body (so malformed
 * input is kept byte for byte) and the reason. Rows are appended per dead-lettering (`delivery_id`),
 * never overwritten: a message that is redriven and fails again, or another message reusing the id,
 * is a row of its own beside the first. Fed from the `tradelane.dlq` queue; redriven by id, type or key.
 */
@Entity({ name: 'dead_letter' })
@Unique('dead_letter_delivery_uq', ['deliveryId'])
@Index('dead_letter_message_consumer_idx', ['messageId', 'consumer', 'id'])
@Index('dead_letter_status_idx', ['status', 'id'])
@Index('dead_letter_type_idx', ['type'])
@Index('dead_letter_key_idx', ['key'])
export class DeadLetter {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** Names the act of dead-lettering (`x-tl-dead-letter-id`, or a digest for the broker's own deaths). */
  @Column({ name: 'delivery_id', type: 'text' })
  deliveryId: string;

  /** Envelope id, or `sha256:<hex>` of the body when the body had no readable id. */
  @Column({ name: 'message_id', type: 'text' })
  messageId: string;

  @Column({ type: 'text' })
  consumer: string;

  @Column({ type: 'text', nullable: true })
  type: string | null;

  @Column({ type: 'text', nullable: true })
  key: string | null;

  @Column({ type: 'text', nullable: true })
  tenant: string | null;

  @Column({ type: 'text', nullable: true })
  source: string | null;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId: string | null;

  @Column({ name: 'routing_key', type: 'text', nullable: true })
  routingKey: string | null;

  @Column({ type: 'bytea' })
  body: Buffer;

  @Column({ name: 'error_code', type: 'text' })
  errorCode: string;

  @Column({ name: 'error_message', type: 'text' })
  errorMessage: string;

  @Column({ name: 'error_field', type: 'text', nullable: true })
  errorField: string | null;

  @Column({ type: 'int' })
  attempts: number;

  @Column({ type: 'text', default: 'dead' })
  status: DeadLetterStatus;

  @Column({ name: 'dead_lettered_at', type: 'timestamptz', default: () => 'now()' })
  deadLetteredAt: Date;

  @Column({ name: 'redriven_at', type: 'timestamptz', nullable: true })
  redrivenAt: Date | null;

  @Column({ name: 'redrive_count', type: 'int', default: 0 })
  redriveCount: number;
}
