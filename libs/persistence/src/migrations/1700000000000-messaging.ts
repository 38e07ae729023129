import { MigrationInterface, QueryRunner } from 'typeorm';

/** Inbox, outbox, message ledger and dead-letter store. */
export class Messaging1700000000000 implements MigrationInterface {
  name = 'Messaging1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "dead_letter" ("id" BIGSERIAL NOT NULL, "message_id" text NOT NULL, "consumer" text NOT NULL, "type" text, "key" text, "tenant" text, "source" text, "correlation_id" text, "routing_key" text, "body" bytea NOT NULL, "error_code" text NOT NULL, "error_message" text NOT NULL, "error_field" text, "attempts" integer NOT NULL, "status" text NOT NULL DEFAULT 'dead', "dead_lettered_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "redriven_at" TIMESTAMP WITH TIME ZONE, "redrive_count" integer NOT NULL DEFAULT '0', CONSTRAINT "dead_letter_message_consumer_uq" UNIQUE ("message_id", "consumer"), CONSTRAINT "PK_e51e9e534cd18984b2aad76403c" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "dead_letter_key_idx" ON "dead_letter"  ("key") `);
    await q.query(`CREATE INDEX "dead_letter_type_idx" ON "dead_letter"  ("type") `);
    await q.query(`CREATE INDEX "dead_letter_status_idx" ON "dead_letter"  ("status", "id") `);
    await q.query(
      `CREATE TABLE "inbox" ("consumer" text NOT NULL, "message_id" uuid NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8902b2c18e35f1ba5a650a69c2f" PRIMARY KEY ("consumer", "message_id"))`,
    );
    await q.query(
      `CREATE TABLE "message_ledger" ("seq" BIGSERIAL NOT NULL, "message_id" text NOT NULL, "direction" text NOT NULL, "consumer" text NOT NULL, "type" text, "key" text, "tenant" text, "source" text, "correlation_id" text, "causation_id" text, "status" text NOT NULL, "attempt" integer NOT NULL DEFAULT '1', "error_code" text, "error_message" text, "error_field" text, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), CONSTRAINT "PK_76b0be3f6b5b2692985c0a5228b" PRIMARY KEY ("seq"))`,
    );
    await q.query(`CREATE INDEX "message_ledger_correlation_idx" ON "message_ledger"  ("correlation_id") `);
    await q.query(`CREATE INDEX "message_ledger_key_idx" ON "message_ledger"  ("key", "seq") `);
    await q.query(`CREATE INDEX "message_ledger_message_idx" ON "message_ledger"  ("message_id", "seq") `);
    await q.query(
      `CREATE TABLE "outbox" ("id" BIGSERIAL NOT NULL, "message_id" uuid NOT NULL, "exchange" text NOT NULL, "type" text NOT NULL, "key" text NOT NULL, "envelope" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "published_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_2f36ee5236f2793f3e7bd554589" UNIQUE ("message_id"), CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "outbox_pending_idx" ON "outbox"  ("id") WHERE published_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "outbox"`);
    await q.query(`DROP TABLE "message_ledger"`);
    await q.query(`DROP TABLE "inbox"`);
    await q.query(`DROP TABLE "dead_letter"`);
  }
}
