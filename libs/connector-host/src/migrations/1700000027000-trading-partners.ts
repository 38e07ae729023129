import { isolateTenants } from '@tradelane/access';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * EDI trading partners per tenant, control-number series of what we send (a number is committed
 * before it is used, and the same key gets the same number again), and the register of
 * interchanges received (duplicates and gaps). Tenant-isolated; partners see none of it.
 */
export class TradingPartners1700000027000 implements MigrationInterface {
  name = 'TradingPartners1700000027000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "edi_trading_partner" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL DEFAULT 'default', "name" text NOT NULL, "standard" text NOT NULL, "qualifier" text NOT NULL DEFAULT '', "interchange_id" text NOT NULL, "customer_external_id" text, "customer_source" text, "acknowledgement" text NOT NULL, "control_counts" text NOT NULL DEFAULT 'warn', "time_zone" text NOT NULL DEFAULT 'UTC', "payment_terms_days" integer NOT NULL DEFAULT '30', "transaction_sets" text array NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2167d8ffab1085e5a63a01410f5" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "edi_trading_partner_interchange_uq" ON "edi_trading_partner" ("tenant", "standard", "qualifier", "interchange_id")`,
    );
    await q.query(
      `CREATE TABLE "edi_control_series" ("tenant" text NOT NULL, "series" text NOT NULL, "next_value" bigint NOT NULL, CONSTRAINT "PK_4ffc4a99b334018b0cd6532b885" PRIMARY KEY ("tenant", "series"))`,
    );
    await q.query(
      `CREATE TABLE "edi_control_number" ("tenant" text NOT NULL, "series" text NOT NULL, "for_key" text NOT NULL, "value" bigint NOT NULL, "given_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_af7b2e9c6436a1193b7ea514d72" PRIMARY KEY ("tenant", "series", "for_key"))`,
    );
    await q.query(
      `CREATE TABLE "edi_interchange_received" ("tenant" text NOT NULL, "partner_id" text NOT NULL, "control" text NOT NULL, "content_hash" text NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "times" integer NOT NULL DEFAULT '1', CONSTRAINT "PK_edi_interchange_received" PRIMARY KEY ("tenant", "partner_id", "control"))`,
    );
    await q.query(
      `CREATE INDEX "edi_interchange_received_partner_idx" ON "edi_interchange_received" ("partner_id", "received_at")`,
    );
    for (const t of [
      'edi_trading_partner',
      'edi_control_series',
      'edi_control_number',
      'edi_interchange_received',
    ])
      await isolateTenants(q, t);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'edi_interchange_received',
      'edi_control_number',
      'edi_control_series',
      'edi_trading_partner',
    ])
      await q.query(`DROP TABLE "${t}"`);
  }
}
