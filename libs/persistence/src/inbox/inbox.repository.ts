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

  /**
   * Forgets that a consumer processed these messages (their effect was undone, e.g. a record parked
   * in the dead-letter store), so a redrive applies them again.
   */
  async release(tx: EntityManager, consumer: string, messageIds: string[]): Promise<void> {
    if (!messageIds.length) return;
    await tx.query(`DELETE FROM inbox WHERE consumer = $1 AND message_id = ANY($2::uuid[])`, [
      consumer,
      messageIds,
    ]);
  }
}
