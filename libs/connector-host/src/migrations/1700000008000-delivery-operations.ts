import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbound delivery operations (re-send, resolve a conflict), which secret fields an instance has
 * set (null for instances added before: all declared secrets are shown as set), and each pull
 * stream's own health and last error (the instance's showed only the last stream's), and the ids
 * of signed pushes taken recently (a replay is refused).
 */
export class DeliveryOperations1700000008000 implements MigrationInterface {
  name = 'DeliveryOperations1700000008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "connector_delivery" ADD "force" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "connector_delivery" ADD "resolution" text`);
    await q.query(`ALTER TABLE "connector_delivery" ADD "resolved_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "connector_instance" ADD "secret_fields" text array`);
    await q.query(`ALTER TABLE "connector_cursor" ADD "health" text NOT NULL DEFAULT 'unknown'`);
    await q.query(`ALTER TABLE "connector_cursor" ADD "last_error" text`);
    await q.query(`ALTER TABLE "connector_cursor" ADD "last_error_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "connector_cursor" ADD "last_success_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(
      `CREATE TABLE "connector_webhook_seen" ("instance_id" text NOT NULL, "webhook_id" text NOT NULL, "seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_connector_webhook_seen" PRIMARY KEY ("instance_id", "webhook_id"))`,
    );
    await q.query(`CREATE INDEX "connector_webhook_seen_at_idx" ON "connector_webhook_seen" ("seen_at") `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "connector_webhook_seen"`);
    for (const c of ['last_success_at', 'last_error_at', 'last_error', 'health'])
      await q.query(`ALTER TABLE "connector_cursor" DROP COLUMN "${c}"`);
    await q.query(`ALTER TABLE "connector_instance" DROP COLUMN "secret_fields"`);
    await q.query(`ALTER TABLE "connector_delivery" DROP COLUMN "resolved_at"`);
    await q.query(`ALTER TABLE "connector_delivery" DROP COLUMN "resolution"`);
    await q.query(`ALTER TABLE "connector_delivery" DROP COLUMN "force"`);
  }
}
