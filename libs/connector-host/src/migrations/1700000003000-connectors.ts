import { MigrationInterface, QueryRunner } from 'typeorm';

/** Connector instances (settings in clear, secrets sealed), the cursor of each pull stream, backfills, events owed to instances (send). */
export class Connectors1700000003000 implements MigrationInterface {
  name = 'Connectors1700000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "connector_cursor" ("instance_id" text NOT NULL, "stream" text NOT NULL, "cursor" text, "last_event_at" TIMESTAMP WITH TIME ZONE, "records" bigint NOT NULL DEFAULT '0', "pages" bigint NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2c747be15b5c45c5dbe57192984" PRIMARY KEY ("instance_id", "stream"))`,
    );
    await q.query(
      `CREATE TABLE "connector_instance" ("id" text NOT NULL, "connector_id" text NOT NULL, "tenant" text NOT NULL DEFAULT 'default', "settings" jsonb NOT NULL, "sealed_secrets" text, "state" text NOT NULL DEFAULT 'running', "health" text NOT NULL DEFAULT 'unknown', "last_check_at" TIMESTAMP WITH TIME ZONE, "last_check_code" text, "last_check_message" text, "last_success_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "poll_seconds" integer NOT NULL DEFAULT '60', "max_requests_per_second" integer, "freshness_threshold_seconds" integer NOT NULL DEFAULT '3600', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f024bdaac27f8e1b3aabfb9cd49" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "connector_instance_connector_idx" ON "connector_instance"  ("connector_id") `,
    );
    await q.query(
      `CREATE TABLE "connector_backfill" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "instance_id" text NOT NULL, "stream" text NOT NULL, "cursor" text, "state" text NOT NULL DEFAULT 'running', "records" bigint NOT NULL DEFAULT '0', "pages" bigint NOT NULL DEFAULT '0', "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_e2385dda3fec3be8bc54cc64c5f" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "connector_backfill_state_idx" ON "connector_backfill" ("state", "created_at")`,
    );
    await q.query(
      `CREATE TABLE "connector_delivery" ("instance_id" text NOT NULL, "message_id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "type" text NOT NULL, "envelope" jsonb NOT NULL, "state" text NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_7ece06b8cbc899f3a7d4f8a9356" PRIMARY KEY ("instance_id", "message_id"))`,
    );
    await q.query(
      `CREATE INDEX "connector_delivery_pending_idx" ON "connector_delivery" ("instance_id", "state", "seq")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "connector_delivery"`);
    await q.query(`DROP TABLE "connector_backfill"`);
    await q.query(`DROP TABLE "connector_instance"`);
    await q.query(`DROP TABLE "connector_cursor"`);
  }
}
