import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where each pull stream of an instance stands. Written in the same transaction as the outbox rows
 * of the records the page produced, so a crash never skips nor repeats a page.
 */
@Entity({ name: 'connector_cursor' })
export class ConnectorCursor {
  @PrimaryColumn({ name: 'instance_id', type: 'text' })
  instanceId: string;

  @PrimaryColumn({ type: 'text' })
  stream: string;

  @Column({ type: 'text', nullable: true })
  cursor: string | null;

  /** Newest event time among the records pulled so far (freshness). */
  @Column({ name: 'last_event_at', type: 'timestamptz', nullable: true })
  lastEventAt: Date | null;

  @Column({ name: 'records', type: 'bigint', default: 0 })
  records: string;

  /** Pages that brought records. */
  @Column({ name: 'pages', type: 'bigint', default: 0 })
  pages: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  /** The stream's own last pull: ok, degraded (retryable failure) or failing (a person must act). */
  @Column({ type: 'text', default: 'unknown' })
  health: string;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true })
  lastErrorAt: Date | null;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;
}
