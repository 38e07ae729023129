import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const LEDGER_STATUSES = [
  'received',
  'processed',
  'retrying',
  'dead-lettered',
  'redriven',
  'published',
] as const;
export type LedgerStatus = (typeof LEDGER_STATUSES)[number];
export type LedgerDirection = 'in' | 'out';

/**
 * Message ledger: append-only, one row per thing that happened to a message (each attempt, each
 * dead-lettering, each redrive, each publication). The latest row of a message is its status.
 */
@Entity({ name: 'message_ledger' })
@Index('message_ledger_message_idx', ['messageId', 'seq'])
@Index('message_ledger_key_idx', ['key', 'seq'])
@Index('message_ledger_correlation_idx', ['correlationId'])
export class LedgerEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  @Column({ name: 'message_id', type: 'text' })
  messageId: string;

  @Column({ type: 'text' })
  direction: LedgerDirection;

  /** Consumer (queue) for inbound messages, exchange for outbound ones. */
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

  @Column({ name: 'causation_id', type: 'text', nullable: true })
  causationId: string | null;

  @Column({ type: 'text' })
  status: LedgerStatus;

  @Column({ type: 'int', default: 1 })
  attempt: number;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'error_field', type: 'text', nullable: true })
  errorField: string | null;

  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  at: Date;
}
