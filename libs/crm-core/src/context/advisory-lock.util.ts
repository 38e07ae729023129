import { EntityManager } from 'typeorm';

/**
 * Transaction-scoped PostgreSQL advisory locks on text keys, taken in sorted order so two
 * transactions locking overlapping sets cannot deadlock on them. Keys must not contain NUL.
 */
export async function lockKeys(tx: EntityManager, keys: string[]): Promise<void> {
  if (!keys.length) return;
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k ORDER BY k`,
    [[...new Set(keys)].sort()],
  );
}
