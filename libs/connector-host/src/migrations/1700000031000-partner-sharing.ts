import { isolateTenants } from '@tradelane/access';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The partner's own rows: its idempotency keys, webhook subscriptions, deliveries and their log. */
const OWN = 'partner_id = tradelane_partner()';

/** Partner sharing: idempotent partner writes, webhook subscriptions, deliveries and the delivery log. */
export class PartnerSharing1700000031000 implements MigrationInterface {
  name = 'PartnerSharing1700000031000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "partner_idempotency" ("tenant" text NOT NULL, "principal_id" text NOT NULL, "idempotency_key" text NOT NULL, "partner_id" uuid NOT NULL, "route" text NOT NULL, "request_hash" text NOT NULL, "status" integer, "response" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3107d2b1bc4584b153510597534" PRIMARY KEY ("tenant", "principal_id", "idempotency_key"))`,
    );
    await q.query(
      `CREATE TABLE "partner_webhook_subscription" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "partner_id" uuid NOT NULL, "principal_id" text NOT NULL, "scopes" text array NOT NULL, "url" text NOT NULL, "event_types" text array NOT NULL, "description" text, "contact_email" text, "secrets" jsonb NOT NULL, "status" text NOT NULL DEFAULT 'active', "failing_since" TIMESTAMP WITH TIME ZONE, "verified_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bbaf47f8448bab5343ddcae14a0" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "partner_webhook_subscription_partner_idx" ON "partner_webhook_subscription"  ("tenant", "partner_id") `,
    );
    await q.query(
      `CREATE TABLE "partner_webhook_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "partner_id" uuid NOT NULL, "subscription_id" uuid NOT NULL, "event_id" uuid NOT NULL, "event_type" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "payload" jsonb NOT NULL, "body" text, "status" text NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_429a5713cd8db50d7c014872efa" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "partner_webhook_delivery_window_idx" ON "partner_webhook_delivery"  ("subscription_id", "occurred_at") `,
    );
    await q.query(
      `CREATE INDEX "partner_webhook_delivery_due_idx" ON "partner_webhook_delivery"  ("status", "next_attempt_at") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "partner_webhook_delivery_event_uq" ON "partner_webhook_delivery"  ("subscription_id", "event_id") `,
    );
    await q.query(
      `CREATE TABLE "partner_webhook_attempt" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "partner_id" uuid NOT NULL, "subscription_id" uuid NOT NULL, "delivery_id" uuid NOT NULL, "event_id" uuid NOT NULL, "attempt" integer NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ok" boolean NOT NULL, "status_code" integer, "latency_ms" integer NOT NULL, "error" text, "response_excerpt" text, CONSTRAINT "PK_1b9b80721238b28b739e37f26c6" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "partner_webhook_attempt_subscription_idx" ON "partner_webhook_attempt"  ("subscription_id", "at") `,
    );
    for (const t of [
      'partner_idempotency',
      'partner_webhook_subscription',
      'partner_webhook_delivery',
      'partner_webhook_attempt',
    ])
      await isolateTenants(q, t, OWN);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "partner_webhook_attempt"`);
    await q.query(`DROP TABLE "partner_webhook_delivery"`);
    await q.query(`DROP TABLE "partner_webhook_subscription"`);
    await q.query(`DROP TABLE "partner_idempotency"`);
  }
}
