import { EntityManager } from 'typeorm';
import { Database } from '../database';
import { LedgerRecord } from '../ledger/ledger.repository';
import { storableText } from '../storable-text';
import { DeadLetter, DeadLetterStatus } from './dead-letter.entity';

export interface DeadLetterRecord {
  messageId: string;
  consumer: string;
  type: string | null;
  key: string | null;
  tenant: string | null;
  source: string | null;
  correlationId: string | null;
  routingKey: string | null;
  body: Buffer;
  errorCode: string;
  errorMessage: string;
  errorField: string | null;
  attempts: number;
}

/** The ledger entry that records what happened to a dead letter (dead-lettered, redriven). */
export function deadLetterLedgerRecord(
  d: Pick<
    DeadLetterRecord,
    'messageId' | 'consumer' | 'type' | 'key' | 'tenant' | 'source' | 'correlationId' | 'attempts'
  > &
    Partial<Pick<DeadLetterRecord, 'errorCode' | 'errorMessage' | 'errorField'>>,
  status: 'dead-lettered' | 'redriven',
): LedgerRecord {
  return {
    messageId: d.messageId,
    direction: 'in',
    consumer: d.consumer,
    status,
    type: d.type,
    key: d.key,
    tenant: d.tenant,
    source: d.source,
    correlationId: d.correlationId,
    attempt: d.attempts,
    errorCode: status === 'dead-lettered' ? d.errorCode : null,
    errorMessage: status === 'dead-lettered' ? d.errorMessage : null,
    errorField: status === 'dead-lettered' ? d.errorField : null,
  };
}

/** Which dead letters to redrive: exactly one of id, type or key (plus an optional consumer). */
export interface DeadLetterSelector {
  messageId?: string;
  type?: string;
  key?: string;
  consumer?: string;
}

export interface DeadLetterQuery extends DeadLetterSelector {
  status?: DeadLetterStatus;
  limit: number;
  /** Return rows with `id` above this cursor. */
  after?: string;
}

export class DeadLetterRepository {
  constructor(private readonly db: Database) {}

  /**
   * Upsert: a message that is redriven and fails again becomes `dead` again with the new reason.
   * Text fields are made storable (no NUL, no lone surrogate: the bytes stay in `body`), and the
   * same message twice in one batch is stored once (its last delivery), which a single INSERT ...
   * ON CONFLICT DO UPDATE could not do ("cannot affect row a second time").
   */
  async record(tx: EntityManager, input: DeadLetterRecord[]): Promise<void> {
    if (!input.length) return;
    const byKey = new Map<string, DeadLetterRecord>();
    for (const r of input) {
      const clean: DeadLetterRecord = {
        ...r,
        messageId: storableText(r.messageId),
        consumer: storableText(r.consumer),
        type: storableText(r.type),
        key: storableText(r.key),
        tenant: storableText(r.tenant),
        source: storableText(r.source),
        correlationId: storableText(r.correlationId),
        routingKey: storableText(r.routingKey),
        errorCode: storableText(r.errorCode),
        errorMessage: storableText(r.errorMessage),
        errorField: storableText(r.errorField),
      };
      byKey.delete(`${clean.messageId}\u0000${clean.consumer}`);
      byKey.set(`${clean.messageId}\u0000${clean.consumer}`, clean);
    }
    const rows = [...byKey.values()];
    await tx.query(
      `INSERT INTO dead_letter (message_id, consumer, type, key, tenant, source, correlation_id, routing_key, body,
                                  error_code, error_message, error_field, attempts)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::text[], $9::bytea[], $10::text[], $11::text[], $12::text[], $13::int[])
         ON CONFLICT (message_id, consumer) DO UPDATE SET
           status = 'dead', error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message,
           error_field = EXCLUDED.error_field, attempts = EXCLUDED.attempts, body = EXCLUDED.body,
           dead_lettered_at = now()`,
      [
        rows.map((r) => r.messageId),
        rows.map((r) => r.consumer),
        rows.map((r) => r.type),
        rows.map((r) => r.key),
        rows.map((r) => r.tenant),
        rows.map((r) => r.source),
        rows.map((r) => r.correlationId),
        rows.map((r) => r.routingKey),
        rows.map((r) => r.body),
        rows.map((r) => r.errorCode),
        rows.map((r) => r.errorMessage),
        rows.map((r) => r.errorField),
        rows.map((r) => r.attempts),
      ],
    );
  }

  async list(q: DeadLetterQuery): Promise<DeadLetter[]> {
    const rows = await this.db.read((m) => {
      const qb = m.getRepository(DeadLetter).createQueryBuilder('d').orderBy('d.id', 'ASC').take(q.limit);
      if (q.status) qb.andWhere('d.status = :status', { status: q.status });
      if (q.messageId) qb.andWhere('d.message_id = :mid', { mid: q.messageId });
      if (q.type) qb.andWhere('d.type = :type', { type: q.type });
      if (q.key) qb.andWhere('d.key = :key', { key: q.key });
      if (q.consumer) qb.andWhere('d.consumer = :consumer', { consumer: q.consumer });
      if (q.after) qb.andWhere('d.id > :after', { after: q.after });
      return qb.getMany();
    });
    // node-postgres returns bytea as a Buffer, PGlite as a plain Uint8Array (whose toString() is
    // "123,34,..."): the stored bytes must come back as a Buffer on both.
    for (const r of rows) if (!Buffer.isBuffer(r.body)) r.body = Buffer.from(r.body);
    return rows;
  }

  async markRedriven(ids: string[]): Promise<void> {
    if (ids.length)
      await this.db.sql(
        `UPDATE dead_letter SET status = 'redriven', redriven_at = now(), redrive_count = redrive_count + 1
          WHERE id = ANY($1::bigint[])`,
        [ids],
      );
  }

  async countByStatus(): Promise<Record<DeadLetterStatus, number>> {
    const rows = await this.db.sql<{ status: DeadLetterStatus; n: string }>(
      `SELECT status, count(*) AS n FROM dead_letter GROUP BY status`,
    );
    const out: Record<DeadLetterStatus, number> = { dead: 0, redriven: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }
}
