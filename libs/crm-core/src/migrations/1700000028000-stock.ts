import { isolateTenants } from '@tradelane/access';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** A customer's stock at the warehouses: current level per SKU/lot/warehouse/status and the history. */
export class Stock1700000028000 implements MigrationInterface {
  name = 'Stock1700000028000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "crm_stock_level" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "source" text NOT NULL, "customer_source" text NOT NULL, "customer_external_id" text NOT NULL, "warehouse" text NOT NULL, "sku" text NOT NULL, "lot" text NOT NULL DEFAULT '', "status" text NOT NULL, "quantity" numeric(16,3) NOT NULL, "unit" text, "snapshot_at" TIMESTAMP WITH TIME ZONE, "as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "crm_stock_level_key_uq" UNIQUE ("tenant", "source", "customer_source", "customer_external_id", "warehouse", "sku", "lot", "status"), CONSTRAINT "PK_86ea85c1eba52a8cee0e83b6786" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_stock_level_customer_ref_idx" ON "crm_stock_level" ("tenant", "customer_source", "customer_external_id", "sku")`,
    );
    await q.query(
      `CREATE TABLE "crm_stock_movement" ("message_id" uuid NOT NULL, "tenant" text NOT NULL, "source" text NOT NULL, "external_id" text NOT NULL, "customer_source" text NOT NULL, "customer_external_id" text NOT NULL, "warehouse" text NOT NULL, "sku" text NOT NULL, "lot" text NOT NULL DEFAULT '', "status" text NOT NULL, "quantity" numeric(16,3), "change" numeric(16,3), "level_after" numeric(16,3) NOT NULL, "applied" boolean NOT NULL, "reason" text NOT NULL, "source_reason" text, "as_of" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d30115627259d63d74f21da2886" PRIMARY KEY ("message_id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_stock_movement_customer_ref_idx" ON "crm_stock_movement" ("tenant", "customer_source", "customer_external_id", "sku", "as_of")`,
    );
    // A partner sees the stock of its customers (the rule of crm_inventory_count).
    const mine = `(customer_source, customer_external_id) IN (SELECT k.source, k.external_id FROM tradelane_partner_keys() k)`;
    await isolateTenants(q, 'crm_stock_level', mine);
    await isolateTenants(q, 'crm_stock_movement', mine);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_stock_movement"`);
    await q.query(`DROP TABLE "crm_stock_level"`);
  }
}
