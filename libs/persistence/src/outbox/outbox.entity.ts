import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Outbound events, written in the transaction of the change that caused them; relayed in `id` order. */
@Entity({ name: 'outbox' })
@Index('outbox_pending_idx', ['id'], { where: 'published_at IS NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'message_id', type: 'uuid', unique: true })
  messageId: string;

  @Column({ type: 'text' })
  exchange: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'jsonb' })
  envelope: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
