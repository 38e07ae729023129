import { MigrationInterface, QueryRunner } from 'typeorm';

/** CRM core: customers and orders, one row per source record. */
export class CrmCore1700000001000 implements MigrationInterface {
  name = 'CrmCore1700000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "crm_customer" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "source" text NOT NULL, "external_id" text NOT NULL, "name" text NOT NULL, "vat_id" text, "email" text, "phone" text, "street" text, "city" text, "postal_code" text, "country" text, "source_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "source_message_id" uuid NOT NULL, "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "crm_customer_external_uq" UNIQUE ("tenant", "source", "external_id"), CONSTRAINT "PK_d7b1f8edadc3f1c551c03195c78" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "crm_customer_name_idx" ON "crm_customer"  ("name") `);
    await q.query(
      `CREATE TABLE "crm_order" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "source" text NOT NULL, "external_id" text NOT NULL, "customer_external_id" text NOT NULL, "ordered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "required_at" TIMESTAMP WITH TIME ZONE, "shipped_at" TIMESTAMP WITH TIME ZONE, "carrier" text, "currency" text, "freight" numeric(14,4), "total_amount" numeric(14,4), "lines" jsonb NOT NULL DEFAULT '[]', "source_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "source_message_id" uuid NOT NULL, "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "crm_order_external_uq" UNIQUE ("tenant", "source", "external_id"), CONSTRAINT "PK_7938c3cbad40ffa28e8437f0a6a" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_order_customer_ref_idx" ON "crm_order"  ("tenant", "source", "customer_external_id", "ordered_at") `,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_order"`);
    await q.query(`DROP TABLE "crm_customer"`);
  }
}
