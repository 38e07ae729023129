import { EntityManager } from 'typeorm';

export class InboxRepository {
  /**
   * Claims message ids for a consumer inside the caller's transaction. Returns the ids that were
   * new; the others were already processed (a redelivery) and must have no effect. A concurrent
   * claim of the same id blocks on the primary key until the first transaction ends.
   */
  async claim(tx: EntityManager, consumer: string, messageIds: string[]): Promise<Set<string>> {
    if (!messageIds.length) return new Set();
    const rows: { message_id: string }[] = await tx.query(
      `INSERT INTO inbox (consumer, message_id)
       SELECT $1, id FROM unnest($2::uuid[]) AS t(id)
       ON CONFLICT DO NOTHING
       RETURNING message_id`,
      [consumer, messageIds],
    );
    return new Set(rows.map((r) => r.message_id));
  }
}
