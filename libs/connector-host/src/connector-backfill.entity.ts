import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type BackfillState = 'running' | 'done' | 'failed' | 'cancelled';

/**
 * A history reload of one stream of an instance: pulled from the beginning, page by page, on the
 * backfill lane (its own exchange and queue, one lane, no outbound CRM events). Its cursor moves in
 * the transaction that writes the page to the outbox, like a live pull, so it resumes after a crash.
 */
@Entity({ name: 'connector_backfill' })
@Index('connector_backfill_state_idx', ['state', 'createdAt'])
export class ConnectorBackfill {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'instance_id', type: 'text' })
  instanceId: string;

  @Column({ type: 'text' })
  stream: string;

  @Column({ type: 'text', nullable: true })
  cursor: string | null;

  @Column({ type: 'text', default: 'running' })
  state: BackfillState;

  @Column({ type: 'bigint', default: 0 })
  records: string;

  @Column({ type: 'bigint', default: 0 })
  pages: string;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
