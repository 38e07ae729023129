import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partner lists' horizon (context/feed-position.ts) counts only the transactions of this
 * database. Transaction ids are the cluster's, so the snapshot's xmin is held back by a long
 * transaction in any database of the cluster (another application's, a report, a migration):
 * while it ran, rows committed here after it began stayed out of every partner list. A running
 * transaction is left out only where pg_stat_activity positively shows it in another database;
 * one it does not show (ended since, or not visible) still counts, so the horizon can only be
 * too early, never too late, and a cursor still never skips a row.
 */
export class FeedHorizon1700000032000 implements MigrationInterface {
  name = 'FeedHorizon1700000032000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE OR REPLACE FUNCTION tradelane_xid_horizon() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE
         AS $$
           SELECT COALESCE(
             (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s) x
               WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                                  WHERE a.backend_xid = x::xid
                                    AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database()))),
             pg_snapshot_xmax(s)::text::bigint)
           FROM pg_current_snapshot() s
         $$`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE OR REPLACE FUNCTION tradelane_xid_horizon() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE
         AS $$ SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint $$`,
    );
  }
}
