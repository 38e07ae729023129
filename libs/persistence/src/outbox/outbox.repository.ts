import { EntityManager } from 'typeorm';
import { Database } from '../database';

/** The envelope fields the outbox and ledger read (the full envelope is stored as JSON). */
export interface StoredEnvelope {
  id: string;
  type: string;
  key: string;
  tenant?: string;
  source?: string;
  correlationId?: string;
  causationId?: string | null;
}

export interface OutboxItem {
  exchange: string;
  envelope: StoredEnvelope;
}

export interface PendingOutboxRow {
  id: string;
  exchange: string;
  envelope: StoredEnvelope;
}

export class OutboxRepository {
  constructor(private readonly db: Database) {}

  /** Writes events in the caller's transaction: they exist if and only if the change commits. */
  async enqueue(tx: EntityManager, items: OutboxItem[]): Promise<void> {
    if (!items.length) return;
    await tx.query(
      `INSERT INTO outbox (message_id, exchange, type, key, envelope)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`,
      [
        items.map((i) => i.envelope.id),
        items.map((i) => i.exchange),
        items.map((i) => i.envelope.type),
        items.map((i) => i.envelope.key),
        items.map((i) => JSON.stringify(i.envelope)),
      ],
    );
  }

  /** Oldest unpublished events first: `id` follows insert order, which per key is commit order. */
  fetchPending(limit: number): Promise<PendingOutboxRow[]> {
    return this.db.sql<PendingOutboxRow>(
      `SELECT id::text AS id, exchange, envelope FROM outbox WHERE published_at IS NULL ORDER BY outbox.id LIMIT $1`,
      [limit],
    );
  }

  async markPublished(tx: EntityManager, ids: string[]): Promise<void> {
    if (ids.length)
      await tx.query(`UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY($1::bigint[])`, [
        ids,
      ]);
  }

  async stats(): Promise<{ pending: number; lagSeconds: number }> {
    const [row] = await this.db.sql<{ pending: string; lag: string | null }>(
      `SELECT count(*) AS pending, extract(epoch FROM clock_timestamp() - min(created_at)) AS lag
         FROM outbox WHERE published_at IS NULL`,
    );
    return { pending: Number(row.pending), lagSeconds: row.lag === null ? 0 : Number(row.lag) };
  }
}
