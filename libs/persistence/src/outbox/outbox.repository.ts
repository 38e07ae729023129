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
  /** The envelope as stored (JSON text), published as is: no parse and re-serialise per event. */
  body: string;
}

export class OutboxRepository {
  constructor(private readonly db: Database) {}

  /**
   * Writes events in the caller's transaction: they exist if and only if the change commits. A message id already there is the same
   * message (ids of records come from their content: the same record read again from another file, a
   * duplicate interchange): it is not added twice.
   */
  async enqueue(tx: EntityManager, items: OutboxItem[]): Promise<void> {
    if (!items.length) return;
    await tx.query(
      `INSERT INTO outbox (message_id, exchange, type, key, envelope)
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS t(message_id uuid, exchange text, type text, key text, envelope jsonb)
       ON CONFLICT (message_id) DO NOTHING`,
      [
        JSON.stringify(
          items.map((i) => ({
            message_id: i.envelope.id,
            exchange: i.exchange,
            type: i.envelope.type,
            key: i.envelope.key,
            envelope: i.envelope,
          })),
        ),
      ],
    );
  }

  /** Oldest unpublished events first: `id` follows insert order, which per key is commit order. */
  fetchPending(limit: number): Promise<PendingOutboxRow[]> {
    return this.db
      .sql<
        { id: string; exchange: string; body: string } & Record<
          'mid' | 'type' | 'key' | 'tenant' | 'source' | 'cid' | 'caus',
          string
        >
      >(
        `SELECT id::text AS id, exchange, envelope::text AS body, message_id::text AS mid, type, key,
                envelope->>'tenant' AS tenant, envelope->>'source' AS source,
                envelope->>'correlationId' AS cid, envelope->>'causationId' AS caus
           FROM outbox WHERE published_at IS NULL ORDER BY outbox.id LIMIT $1`,
        [limit],
      )
      .then((rows) =>
        rows.map((r) => ({
          id: r.id,
          exchange: r.exchange,
          body: r.body,
          envelope: {
            id: r.mid,
            type: r.type,
            key: r.key,
            tenant: r.tenant,
            source: r.source,
            correlationId: r.cid,
            causationId: r.caus,
          },
        })),
      );
  }

  async markPublished(tx: EntityManager, ids: string[]): Promise<void> {
    if (ids.length)
      await tx.query(`UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY($1::bigint[])`, [
        ids,
      ]);
  }

  /**
   * Deletes published rows older than `cutoff`, at most `limit` per call (short transactions).
   * Unpublished rows are never touched. The ledger keeps the history of what was published.
   */
  async purgePublished(cutoff: Date, limit = 10_000): Promise<number> {
    // A SELECT over the DELETE: TypeORM returns [rows, count] for a bare DELETE ... RETURNING.
    const [row] = await this.db.sql<{ n: string }>(
      `WITH purged AS (
         DELETE FROM outbox WHERE id IN (
           SELECT id FROM outbox WHERE published_at IS NOT NULL AND published_at < $1 ORDER BY id LIMIT $2)
         RETURNING 1)
       SELECT count(*) AS n FROM purged`,
      [cutoff.toISOString(), limit],
    );
    return Number(row.n);
  }

  /** Marks rows published within the last `seconds` unpublished again (they are relayed once more); returns how many. */
  async unpublishRecent(seconds: number): Promise<number> {
    const [row] = await this.db.sql<{ n: number }>(
      `WITH u AS (UPDATE outbox SET published_at = NULL
                   WHERE published_at > clock_timestamp() - make_interval(secs => $1) RETURNING 1)
       SELECT count(*)::int AS n FROM u`,
      [seconds],
    );
    return row.n;
  }

  async stats(): Promise<{ pending: number; lagSeconds: number }> {
    const [row] = await this.db.sql<{ pending: string; lag: string | null }>(
      `SELECT count(*) AS pending, extract(epoch FROM clock_timestamp() - min(created_at)) AS lag
         FROM outbox WHERE published_at IS NULL`,
    );
    return { pending: Number(row.pending), lagSeconds: row.lag === null ? 0 : Number(row.lag) };
  }
}
