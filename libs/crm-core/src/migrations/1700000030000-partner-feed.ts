import { MigrationInterface, QueryRunner } from 'typeorm';

const FEED_TABLES = ['crm_order', 'crm_delivery', 'crm_invoice', 'crm_case', 'crm_stock_level'];

/**
 * The partner lists page in commit order (context/feed-position.ts): each row keeps the id of the
 * transaction that inserted it. Existing rows get the migration's own id (one position, ordered by id).
 */
export class PartnerFeed1700000030000 implements MigrationInterface {
  name = 'PartnerFeed1700000030000';

  async up(q: QueryRunner): Promise<void> {
    // Functions, not casts in the default: the schema builder compares defaults with casts removed.
    await q.query(
      `CREATE FUNCTION tradelane_current_xid() RETURNS bigint LANGUAGE sql VOLATILE PARALLEL SAFE
         AS $$ SELECT pg_current_xact_id()::text::bigint $$`,
    );
    await q.query(
      `CREATE FUNCTION tradelane_xid_horizon() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE
         AS $$ SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint $$`,
    );
    for (const t of FEED_TABLES) {
      await q.query(`ALTER TABLE "${t}" ADD "created_xid" bigint NOT NULL DEFAULT tradelane_current_xid()`);
      await q.query(`CREATE INDEX "${t}_feed_idx" ON "${t}" ("tenant", "created_xid", "id")`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of FEED_TABLES) {
      await q.query(`DROP INDEX "${t}_feed_idx"`);
      await q.query(`ALTER TABLE "${t}" DROP COLUMN "created_xid"`);
    }
    await q.query(`DROP FUNCTION tradelane_xid_horizon()`);
    await q.query(`DROP FUNCTION tradelane_current_xid()`);
  }
}
