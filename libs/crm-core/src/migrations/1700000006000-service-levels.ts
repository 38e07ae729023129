import { MigrationInterface, QueryRunner } from 'typeorm';

/** Service agreements, complaint cases with SLA clocks, KPI facts and values, inventory counts. */
export class ServiceLevels1700000006000 implements MigrationInterface {
  name = 'ServiceLevels1700000006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "crm_service_agreement" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "tier" text NOT NULL, "customer_id" uuid, "settings" jsonb NOT NULL DEFAULT '{}', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dd925a28f2fa33ec700dfb1bb7e" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "crm_service_agreement_tier_uq" ON "crm_service_agreement"  ("tenant", "tier") WHERE customer_id IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "crm_service_agreement_customer_uq" ON "crm_service_agreement"  ("tenant", "customer_id") WHERE customer_id IS NOT NULL`,
    );
    await q.query(
      `CREATE TABLE "crm_case" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "number" SERIAL NOT NULL, "type" text NOT NULL, "priority" text NOT NULL, "priority_reason" text NOT NULL, "status" text NOT NULL, "subject" text NOT NULL, "description" text, "assignee" text, "origin" text NOT NULL, "origin_key" text, "customer_source" text, "customer_external_id" text, "order_source" text, "order_external_id" text, "delivery_source" text, "delivery_external_id" text, "invoice_source" text, "invoice_external_id" text, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "first_response_risk_at" TIMESTAMP WITH TIME ZONE NOT NULL, "first_response_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "first_responded_at" TIMESTAMP WITH TIME ZONE, "resolution_risk_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolution_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolved_at" TIMESTAMP WITH TIME ZONE, "resolution" text, "escalation_level" integer NOT NULL DEFAULT '0', "sla" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_113c9fa28aeefa760e543476600" UNIQUE ("number"), CONSTRAINT "PK_7544a8052b0e31300dd3044466e" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "crm_case_open_idx" ON "crm_case"  ("status", "resolution_due_at") `);
    await q.query(
      `CREATE INDEX "crm_case_invoice_ref_idx" ON "crm_case"  ("tenant", "invoice_source", "invoice_external_id") `,
    );
    await q.query(
      `CREATE INDEX "crm_case_delivery_ref_idx" ON "crm_case"  ("tenant", "delivery_source", "delivery_external_id") `,
    );
    await q.query(
      `CREATE INDEX "crm_case_customer_ref_idx" ON "crm_case"  ("tenant", "customer_source", "customer_external_id") `,
    );
    await q.query(
      `CREATE UNIQUE INDEX "crm_case_origin_uq" ON "crm_case"  ("tenant", "origin_key") WHERE origin_key IS NOT NULL`,
    );
    await q.query(
      `CREATE TABLE "crm_case_party" ("case_id" uuid NOT NULL, "role" text NOT NULL, "customer_source" text NOT NULL, "customer_external_id" text NOT NULL, "tenant" text NOT NULL, CONSTRAINT "PK_287f9508c463b33056e6eb243cc" PRIMARY KEY ("case_id", "role", "customer_source", "customer_external_id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_case_party_customer_idx" ON "crm_case_party"  ("tenant", "customer_source", "customer_external_id") `,
    );
    await q.query(
      `CREATE TABLE "crm_case_message" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "visibility" text NOT NULL, "direction" text NOT NULL, "author" text NOT NULL, "body" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_448f7346e9fdb22fc3aeaaa4662" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "crm_case_message_case_idx" ON "crm_case_message"  ("case_id", "at") `);
    await q.query(
      `CREATE TABLE "crm_case_sla_event" ("case_id" uuid NOT NULL, "clock" text NOT NULL, "kind" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_438a4da152937118f93ec606ff3" PRIMARY KEY ("case_id", "clock", "kind"))`,
    );
    await q.query(
      `CREATE TABLE "crm_kb_article" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "case_type" text NOT NULL, "title" text NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7133d3428335406d14bf7851868" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "crm_kb_article_type_idx" ON "crm_kb_article"  ("tenant", "case_type") `);
    await q.query(
      `CREATE TABLE "crm_inventory_count" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "source" text NOT NULL, "external_id" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "source_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "source_message_id" uuid NOT NULL, "revision" integer NOT NULL DEFAULT '1', "customer_source" text NOT NULL, "customer_external_id" text NOT NULL, "sku" text NOT NULL, "location" text, "counted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "system_quantity" numeric(14,3) NOT NULL, "counted_quantity" numeric(14,3) NOT NULL, CONSTRAINT "crm_inventory_count_external_uq" UNIQUE ("tenant", "source", "external_id"), CONSTRAINT "PK_59cf54c83742343700492990491" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_inventory_count_customer_ref_idx" ON "crm_inventory_count"  ("tenant", "customer_source", "customer_external_id") `,
    );
    await q.query(
      `CREATE TABLE "crm_kpi_fact" ("subject_kind" text NOT NULL, "subject_id" uuid NOT NULL, "kpi" text NOT NULL, "part" integer NOT NULL DEFAULT '0', "tenant" text NOT NULL, "subject_ref" text NOT NULL, "customer_source" text NOT NULL, "customer_external_id" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "hit" boolean, "value" numeric, CONSTRAINT "PK_6538fc7cc4ed6110e9e3503314c" PRIMARY KEY ("subject_kind", "subject_id", "kpi", "part"))`,
    );
    await q.query(
      `CREATE INDEX "crm_kpi_fact_customer_idx" ON "crm_kpi_fact"  ("tenant", "customer_source", "customer_external_id", "kpi", "at") `,
    );
    await q.query(
      `CREATE TABLE "crm_kpi_value" ("customer_id" uuid NOT NULL, "kpi" text NOT NULL, "period" text NOT NULL, "period_start" date NOT NULL, "tenant" text NOT NULL, "n" integer NOT NULL, "hits" integer NOT NULL, "value" numeric NOT NULL, "p90" numeric, "target" numeric, "met" boolean, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_75a22d16906e478dbd1c85f6e0c" PRIMARY KEY ("customer_id", "kpi", "period", "period_start"))`,
    );
    await q.query(
      `CREATE INDEX "crm_kpi_value_period_idx" ON "crm_kpi_value"  ("tenant", "kpi", "period", "period_start") `,
    );
    await q.query(
      `CREATE TABLE "crm_kpi_dirty" ("subject_kind" text NOT NULL, "subject_id" uuid NOT NULL, "tenant" text NOT NULL, "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e4c841b242ec58f9b9267374266" PRIMARY KEY ("subject_kind", "subject_id"))`,
    );
    await q.query(`ALTER TABLE "crm_customer_segment" ADD "vip" boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE "crm_customer_segment" ADD "value_class" text`);
    await q.query(`ALTER TABLE "crm_customer_segment" ADD "margin" numeric(16,4)`);
    await q.query(`ALTER TABLE "crm_customer_segment" ADD "clv" numeric(16,4)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "crm_kpi_dirty"`);
    await q.query(`DROP TABLE "crm_kpi_value"`);
    await q.query(`DROP TABLE "crm_kpi_fact"`);
    await q.query(`DROP TABLE "crm_inventory_count"`);
    await q.query(`DROP TABLE "crm_kb_article"`);
    await q.query(`DROP TABLE "crm_case_sla_event"`);
    await q.query(`DROP TABLE "crm_case_message"`);
    await q.query(`DROP TABLE "crm_case_party"`);
    await q.query(`DROP TABLE "crm_case"`);
    await q.query(`DROP TABLE "crm_service_agreement"`);
    await q.query(`ALTER TABLE "crm_customer_segment" DROP COLUMN "clv"`);
    await q.query(`ALTER TABLE "crm_customer_segment" DROP COLUMN "margin"`);
    await q.query(`ALTER TABLE "crm_customer_segment" DROP COLUMN "value_class"`);
    await q.query(`ALTER TABLE "crm_customer_segment" DROP COLUMN "vip"`);
  }
}
