import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { Database } from '../database';
import { LedgerRecord } from '../ledger/ledger.repository';
import { storableText } from '../storable-text';
import { DeadLetter, DeadLetterStatus } from './dead-letter.entity';

export interface DeadLetterRecord {
  /** One act of dead-lettering: a second row with the same value (a DLQ redelivery) is not stored again. */
  deliveryId: string;
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

/** Which dead letters to redrive: one message id, or any of type, key and source (plus an optional consumer). */
export interface DeadLetterSelector {
  messageId?: string;
  type?: string;
  key?: string;
  /** The connector instance the message came from (`erp-odoo:main`). */
  source?: string;
  consumer?: string;
  /** Only this tenant's (a request scoped to its principal's tenant). */
  tenant?: string;
}

export interface DeadLetterQuery extends DeadLetterSelector {
  status?: DeadLetterStatus;
  limit: number;
  /** Return rows with `id` above this cursor. */
  after?: string;
}

/** A regular expression (JavaScript or PostgreSQL) that matches `text` literally. */
export function regExpLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class DeadLetterRepository {
  constructor(private readonly db: Database) {}

  /** How many of the tenant's dead letters' raw bodies contain `text` (any case). */
  async countMentions(tx: EntityManager, tenant: string, text: string): Promise<number> {
    const [r]: { n: number }[] = await tx.query(
      `SELECT count(*)::int AS n FROM dead_letter WHERE tenant = $1 AND strpos(lower(encode(body, 'escape')), $2) > 0`,
      [tenant, text.toLowerCase()],
    );
    return r.n;
  }

  /**
   * Replaces `text` (an erased person's e-mail; ASCII, any case) in the raw bodies of the tenant's
   * dead letters with `by`, byte for byte elsewhere (a body that is not UTF-8 stays as it was
   * around it). Answers how many bodies changed.
   */
  async redact(tx: EntityManager, tenant: string, text: string, by: string): Promise<number> {
    const rows: { id: string; body: Buffer }[] = await tx.query(
      `SELECT id, body FROM dead_letter WHERE tenant = $1 AND strpos(lower(encode(body, 'escape')), $2) > 0`,
      [tenant, text.toLowerCase()],
    );
    const pattern = new RegExp(regExpLiteral(text), 'gi');
    for (const r of rows)
      await tx.query(`UPDATE dead_letter SET body = $2 WHERE id = $1`, [
        r.id,
        Buffer.from(r.body.toString('latin1').replace(pattern, by), 'latin1'),
      ]);
    return rows.length;
  }

  /**
   * Appends one row per dead-lettering, never overwriting: a message that is redriven and fails
   * again, or a different message reusing an id, keeps the earlier row (body, reason) as it was.
   * The same delivery twice (the DLQ redelivered it after a crash, or twice in one batch) is stored
   * once. Text fields are made storable (no NUL, no lone surrogate: the bytes stay in `body`).
   * Returns the rows stored now (without the ones stored before), as stored.
   */
  async record(tx: EntityManager, input: DeadLetterRecord[]): Promise<DeadLetterRecord[]> {
    if (!input.length) return [];
    const byKey = new Map<string, DeadLetterRecord>();
    for (const r of input) {
      const clean: DeadLetterRecord = {
        ...r,
        deliveryId: storableText(r.deliveryId),
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
      if (!byKey.has(clean.deliveryId)) byKey.set(clean.deliveryId, clean);
    }
    const rows = [...byKey.values()];
    const stored: { delivery_id: string }[] = await tx.query(
      `WITH ins AS (
         INSERT INTO dead_letter (delivery_id, message_id, consumer, type, key, tenant, source, correlation_id,
                                  routing_key, body, error_code, error_message, error_field, attempts)
         SELECT * FROM unnest($14::text[], $1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                              $7::text[], $8::text[], $9::bytea[], $10::text[], $11::text[], $12::text[], $13::int[])
         ON CONFLICT (delivery_id) DO NOTHING
         RETURNING delivery_id)
       SELECT delivery_id FROM ins`,
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
        rows.map((r) => r.deliveryId),
      ],
    );
    const now = new Set(stored.map((r) => r.delivery_id));
    return rows.filter((r) => now.has(r.deliveryId));
  }

  async list(q: DeadLetterQuery): Promise<DeadLetter[]> {
    return this.select(q.limit, q, (qb) => {
      if (q.status) qb.andWhere('d.status = :status', { status: q.status });
      if (q.after) qb.andWhere('d.id > :after', { after: q.after });
    });
  }

  /**
   * What a redrive sends: of the matching `dead` rows, the newest per message and consumer (the
   * consumer processes a message id once, so sending an older body as well could only be ignored).
   * The older dead rows of the same message and consumer come back in `answered`: marked redriven
   * with it, their bodies and reasons stay as history.
   */
  async forRedrive(
    selector: DeadLetterSelector,
    limit: number,
  ): Promise<{ newest: DeadLetter[]; answered: string[] }> {
    const newest = await this.select(limit, selector, (qb) =>
      qb.andWhere(`d.status = 'dead'`).andWhere(
        `NOT EXISTS (SELECT 1 FROM dead_letter n WHERE n.message_id = d.message_id
                          AND n.consumer = d.consumer AND n.status = 'dead' AND n.id > d.id)`,
      ),
    );
    if (!newest.length) return { newest, answered: [] };
    const older = await this.db.sql<{ id: string }>(
      `SELECT o.id FROM dead_letter o JOIN dead_letter n
           ON n.message_id = o.message_id AND n.consumer = o.consumer AND n.id > o.id
        WHERE o.status = 'dead' AND n.id = ANY($1::bigint[])`,
      [newest.map((r) => r.id)],
    );
    return { newest, answered: older.map((r) => String(r.id)) };
  }

  /**
   * Dead letters by id order matching a selector (id, type, key, consumer) and `more` conditions.
   * node-postgres returns bytea as a Buffer, PGlite as a plain Uint8Array (whose toString() is
   * "123,34,..."): the stored bytes come back as a Buffer on both.
   */
  private async select(
    limit: number,
    s: DeadLetterSelector,
    more: (qb: SelectQueryBuilder<DeadLetter>) => void,
  ): Promise<DeadLetter[]> {
    const rows = await this.db.read((m) => {
      const qb = m.getRepository(DeadLetter).createQueryBuilder('d').orderBy('d.id', 'ASC').take(limit);
      if (s.messageId) qb.andWhere('d.message_id = :mid', { mid: s.messageId });
      if (s.tenant) qb.andWhere('d.tenant = :tenant', { tenant: s.tenant });
      if (s.type) qb.andWhere('d.type = :type', { type: s.type });
      if (s.key) qb.andWhere('d.key = :key', { key: s.key });
      if (s.source) qb.andWhere('d.source = :source', { source: s.source });
      if (s.consumer) qb.andWhere('d.consumer = :consumer', { consumer: s.consumer });
      more(qb);
      return qb.getMany();
    });
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
