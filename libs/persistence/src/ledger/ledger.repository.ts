import { EntityManager } from 'typeorm';
import { Database } from '../database';
import { LedgerDirection, LedgerEntry, LedgerStatus } from './ledger.entity';

export interface LedgerRecord {
  messageId: string;
  direction: LedgerDirection;
  consumer: string;
  status: LedgerStatus;
  type?: string | null;
  key?: string | null;
  tenant?: string | null;
  source?: string | null;
  correlationId?: string | null;
  causationId?: string | null;
  attempt?: number;
  errorCode?: string | null;
  errorMessage?: string | null;
  errorField?: string | null;
}

export interface LedgerQuery {
  messageId?: string;
  key?: string;
  correlationId?: string;
  type?: string;
  status?: LedgerStatus;
  limit: number;
  /** Return entries with `seq` below this cursor (newest first paging). */
  before?: string;
}

/** Column, record field, SQL array type: the order of the bulk `unnest` insert. */
const COLUMNS: [string, keyof LedgerRecord, 'text' | 'int'][] = [
  ['message_id', 'messageId', 'text'],
  ['direction', 'direction', 'text'],
  ['consumer', 'consumer', 'text'],
  ['status', 'status', 'text'],
  ['type', 'type', 'text'],
  ['key', 'key', 'text'],
  ['tenant', 'tenant', 'text'],
  ['source', 'source', 'text'],
  ['correlation_id', 'correlationId', 'text'],
  ['causation_id', 'causationId', 'text'],
  ['attempt', 'attempt', 'int'],
  ['error_code', 'errorCode', 'text'],
  ['error_message', 'errorMessage', 'text'],
  ['error_field', 'errorField', 'text'],
];
const INSERT_SQL = `INSERT INTO message_ledger (${COLUMNS.map((c) => c[0]).join(', ')})
  SELECT * FROM unnest(${COLUMNS.map((c, i) => `$${i + 1}::${c[2]}[]`).join(', ')})`;

export class LedgerRepository {
  constructor(private readonly db: Database) {}

  /** Appends entries; inside the caller's transaction when `tx` is given (so they commit with the effect). */
  async append(tx: EntityManager | null, records: LedgerRecord[]): Promise<void> {
    if (!records.length) return;
    const params = COLUMNS.map(([, field]) =>
      records.map((r) => r[field] ?? (field === 'attempt' ? 1 : null)),
    );
    if (tx) await tx.query(INSERT_SQL, params);
    else await this.db.sql(INSERT_SQL, params);
  }

  async find(q: LedgerQuery): Promise<LedgerEntry[]> {
    return this.db.read((m) => {
      const qb = m.getRepository(LedgerEntry).createQueryBuilder('l').orderBy('l.seq', 'DESC').take(q.limit);
      if (q.messageId) qb.andWhere('l.message_id = :messageId', { messageId: q.messageId });
      if (q.key) qb.andWhere('l.key = :key', { key: q.key });
      if (q.correlationId) qb.andWhere('l.correlation_id = :cid', { cid: q.correlationId });
      if (q.type) qb.andWhere('l.type = :type', { type: q.type });
      if (q.status) qb.andWhere('l.status = :status', { status: q.status });
      if (q.before) qb.andWhere('l.seq < :before', { before: q.before });
      return qb.getMany();
    });
  }
}
