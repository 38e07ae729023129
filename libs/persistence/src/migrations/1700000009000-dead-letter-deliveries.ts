import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dead letters are appended per dead-lettering instead of upserted by (message id, consumer): a
 * reused message id or a redriven message failing again overwrote the earlier body and reason.
 * Rows stored before get `legacy:<id>` as their delivery id.
 */
export class DeadLetterDeliveries1700000009000 implements MigrationInterface {
  name = 'DeadLetterDeliveries1700000009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "dead_letter" ADD "delivery_id" text`);
    await q.query(`UPDATE "dead_letter" SET "delivery_id" = 'legacy:' || "id"`);
    await q.query(`ALTER TABLE "dead_letter" ALTER COLUMN "delivery_id" SET NOT NULL`);
    await q.query(`ALTER TABLE "dead_letter" DROP CONSTRAINT "dead_letter_message_consumer_uq"`);
    await q.query(
      `ALTER TABLE "dead_letter" ADD CONSTRAINT "dead_letter_delivery_uq" UNIQUE ("delivery_id")`,
    );
    await q.query(
      `CREATE INDEX "dead_letter_message_consumer_idx" ON "dead_letter" ("message_id", "consumer", "id") `,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "dead_letter_message_consumer_idx"`);
    await q.query(`ALTER TABLE "dead_letter" DROP CONSTRAINT "dead_letter_delivery_uq"`);
    await q.query(
      `DELETE FROM "dead_letter" d USING "dead_letter" n
        WHERE n.message_id = d.message_id AND n.consumer = d.consumer AND n.id > d.id`,
    );
    await q.query(
      `ALTER TABLE "dead_letter" ADD CONSTRAINT "dead_letter_message_consumer_uq" UNIQUE ("message_id", "consumer")`,
    );
    await q.query(`ALTER TABLE "dead_letter" DROP COLUMN "delivery_id"`);
  }
}
