import { MigrationInterface, QueryRunner } from 'typeorm';

const FIELDS: [string, string][] = [
  ['name', 'name'],
  ['vatId', 'vat_id'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['street', 'street'],
  ['city', 'city'],
  ['postalCode', 'postal_code'],
  ['country', 'country'],
];
const AT = `to_char(source_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Unified customer view (BREAKING CHANGE for the database): the per-source customer rows become
 * `crm_customer_record`s, each under a unified `crm_customer` that keeps the old row's id (so
 * existing links and URLs still resolve) with per-field provenance; orders name their customer's
 * source explicitly; deliveries, invoices, interactions, party roles, identifiers, merges,
 * merge proposals and pending references get their tables. Weak identifiers (e-mail, name +
 * postal code) of migrated records are derived on their next event.
 */
export class CustomerView1700000002000 implements MigrationInterface {
  name = 'CustomerView1700000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "crm_customer_identifier" ("record_id" uuid NOT NULL, "scheme" text NOT NULL, "value" text NOT NULL, "tenant" text NOT NULL, CONSTRAINT "PK_870751fdd2acee409ceae330ac4" PRIMARY KEY ("record_id", "scheme", "value"))`,
    );
    await q.query(
      `CREATE INDEX "crm_customer_identifier_value_idx" ON "crm_customer_identifier"  ("tenant", "value", "scheme") `,
    );
    await q.query(
      `CREATE TABLE "crm_customer_record" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "source" text NOT NULL, "context" text NOT NULL, "external_id" text NOT NULL, "customer_id" uuid NOT NULL, "home_customer_id" uuid NOT NULL, "data" jsonb NOT NULL, "source_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "source_message_id" uuid NOT NULL, "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "crm_customer_record_external_uq" UNIQUE ("tenant", "source", "external_id"), CONSTRAINT "PK_2e87b1a210af01d4b03c9675e8e" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_customer_record_customer_idx" ON "crm_customer_record"  ("customer_id") `,
    );
    await q.query(
      `CREATE INDEX "crm_customer_record_external_idx" ON "crm_customer_record" ("tenant", "external_id")`,
    );
    await q.query(
      `CREATE TABLE "crm_delivery_event" ("message_id" uuid NOT NULL, "tenant" text NOT NULL, "source" text NOT NULL, "delivery_external_id" text NOT NULL, "status" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "payload" jsonb NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8143b2d0c83f51c1795f9302824" PRIMARY KEY ("message_id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_delivery_event_delivery_idx" ON "crm_delivery_event"  ("tenant", "source", "delivery_external_id", "occurred_at") `,
    );
    await q.query(
      `CREATE TABLE "crm_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "source" text NOT NULL, "external_id" text NOT NULL, "order_source" text, "order_external_id" text, "customer_source" text, "customer_external_id" text, "status" text NOT NULL, "source_status" text, "status_at" TIMESTAMP WITH TIME ZONE NOT NULL, "carrier" text, "tracking_refs" jsonb NOT NULL DEFAULT '[]', "promised_from" TIMESTAMP WITH TIME ZONE, "promised_to" TIMESTAMP WITH TIME ZONE, "picked_up_at" TIMESTAMP WITH TIME ZONE, "delivered_at" TIMESTAMP WITH TIME ZONE, "location" text, "packages" jsonb NOT NULL DEFAULT '[]', "parties" jsonb NOT NULL DEFAULT '[]', "event_count" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "crm_delivery_external_uq" UNIQUE ("tenant", "source", "external_id"), CONSTRAINT "PK_9d224372646d53a6c15974daf4b" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_delivery_order_ref_idx" ON "crm_delivery"  ("tenant", "order_source", "order_external_id") `,
    );
    await q.query(
      `CREATE INDEX "crm_delivery_customer_ref_idx" ON "crm_delivery"  ("tenant", "customer_source", "customer_external_id", "status_at") `,
    );
    await q.query(
      `CREATE TABLE "crm_interaction" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "source" text NOT NULL, "external_id" text NOT NULL, "customer_source" text NOT NULL, "customer_external_id" text NOT NULL, "channel" text NOT NULL, "direction" text NOT NULL, "subject" text NOT NULL, "summary" text, "actor" text, "related_ref" text, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "source_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "source_message_id" uuid NOT NULL, "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "crm_interaction_external_uq" UNIQUE ("tenant", "source", "external_id"), CONSTRAINT "PK_e94bd2bdefa8aadb927fce994f8" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_interaction_customer_ref_idx" ON "crm_interaction"  ("tenant", "customer_source", "customer_external_id", "occurred_at") `,
    );
    await q.query(
      `CREATE TABLE "crm_invoice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "source" text NOT NULL, "external_id" text NOT NULL, "customer_source" text NOT NULL, "customer_external_id" text NOT NULL, "order_external_id" text, "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "currency" text NOT NULL, "total_amount" numeric(14,4) NOT NULL, "paid_amount" numeric(14,4) NOT NULL DEFAULT '0', "status" text NOT NULL, "disputed" boolean NOT NULL DEFAULT false, "dispute_reason" text, "source_updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "source_message_id" uuid NOT NULL, "revision" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "crm_invoice_external_uq" UNIQUE ("tenant", "source", "external_id"), CONSTRAINT "PK_3a215e58159bfc4acbe284c99b8" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_invoice_customer_ref_idx" ON "crm_invoice"  ("tenant", "customer_source", "customer_external_id", "due_at") `,
    );
    await q.query(
      `CREATE TABLE "crm_customer_merge" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "survivor_id" uuid NOT NULL, "merged_id" uuid NOT NULL, "kind" text NOT NULL, "rule" text NOT NULL, "evidence" text, "moved_record_ids" uuid array NOT NULL, "actor" text NOT NULL, "merged_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "unmerged_at" TIMESTAMP WITH TIME ZONE, "unmerged_by" text, CONSTRAINT "PK_d147c2a56f8fcb583f5dbb0a735" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "crm_customer_merge_merged_idx" ON "crm_customer_merge"  ("merged_id") `);
    await q.query(`CREATE INDEX "crm_customer_merge_survivor_idx" ON "crm_customer_merge"  ("survivor_id") `);
    await q.query(
      `CREATE TABLE "crm_merge_proposal" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "customer_a" uuid NOT NULL, "customer_b" uuid NOT NULL, "rule" text NOT NULL, "evidence" text NOT NULL, "status" text NOT NULL DEFAULT 'pending', "merge_id" uuid, "decided_by" text, "decided_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "crm_merge_proposal_pair_uq" UNIQUE ("tenant", "customer_a", "customer_b"), CONSTRAINT "PK_9a1c25e4b688e1177e79c75df41" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_merge_proposal_status_idx" ON "crm_merge_proposal"  ("tenant", "status", "created_at") `,
    );
    await q.query(
      `CREATE TABLE "crm_party_link" ("subject_type" text NOT NULL, "subject_id" uuid NOT NULL, "role" text NOT NULL, "customer_source" text NOT NULL, "customer_external_id" text NOT NULL, "tenant" text NOT NULL, CONSTRAINT "PK_e2e3f88b8257b1eeb18eab0a28c" PRIMARY KEY ("subject_type", "subject_id", "role", "customer_source", "customer_external_id"))`,
    );
    await q.query(
      `CREATE INDEX "crm_party_link_customer_idx" ON "crm_party_link"  ("tenant", "customer_source", "customer_external_id") `,
    );
    await q.query(
      `CREATE TABLE "crm_pending_reference" ("tenant" text NOT NULL, "entity" text NOT NULL, "child_source" text NOT NULL, "child_external_id" text NOT NULL, "field" text NOT NULL, "ref_kind" text NOT NULL, "ref_source" text NOT NULL, "ref_external_id" text NOT NULL, "envelope" jsonb NOT NULL, "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fe96e8e79ec73efafb46b18aefa" PRIMARY KEY ("tenant", "entity", "child_source", "child_external_id", "field"))`,
    );
    await q.query(
      `CREATE INDEX "crm_pending_reference_seen_idx" ON "crm_pending_reference"  ("first_seen_at") `,
    );
    await q.query(
      `CREATE INDEX "crm_pending_reference_ref_idx" ON "crm_pending_reference"  ("tenant", "ref_kind", "ref_source", "ref_external_id") `,
    );
    // Every existing per-source customer becomes a record of a unified customer with the same id.
    await q.query(
      `INSERT INTO crm_customer_record (tenant, source, context, external_id, customer_id, home_customer_id, data,
                                        source_updated_at, source_message_id, revision, created_at, updated_at)
       SELECT tenant, source, split_part(split_part(source, ':', 1), '-', 1), external_id, id, id,
              jsonb_strip_nulls(jsonb_build_object(${FIELDS.map(([f, c]) => `'${f}', ${c}`).join(', ')})),
              source_updated_at, source_message_id, revision, created_at, updated_at
         FROM crm_customer`,
    );
    await q.query(
      `INSERT INTO crm_customer_identifier (record_id, scheme, value, tenant)
       SELECT id, 'erp-customer-no', external_id, tenant FROM crm_customer_record WHERE context = 'erp'
       UNION ALL
       SELECT id, 'vat', upper(regexp_replace(data->>'vatId', '[[:space:].\\-/]', '', 'g')), tenant
         FROM crm_customer_record WHERE data ? 'vatId'`,
    );
    await q.query(`DROP INDEX "crm_customer_name_idx"`);
    await q.query(`ALTER TABLE "crm_customer" DROP CONSTRAINT "crm_customer_external_uq"`);
    await q.query(
      `ALTER TABLE "crm_customer" ADD "status" text NOT NULL DEFAULT 'active', ADD "merged_into" uuid,
         ADD "search_name" text COLLATE "C", ADD "eori" text, ADD "duns" text,
         ADD "provenance" jsonb NOT NULL DEFAULT '{}'`,
    );
    const provenance = FIELDS.map(
      ([f, c]) =>
        `'${f}', CASE WHEN ${c} IS NOT NULL THEN jsonb_build_object('value', ${c}, 'source', source, 'sourceId', external_id, 'at', ${AT}) END`,
    ).join(', ');
    await q.query(
      `UPDATE crm_customer SET search_name = lower(name), provenance = jsonb_strip_nulls(jsonb_build_object(${provenance}))`,
    );
    await q.query(`ALTER TABLE "crm_customer" ALTER COLUMN "search_name" SET NOT NULL`);
    await q.query(
      `ALTER TABLE "crm_customer" DROP COLUMN "source", DROP COLUMN "external_id", DROP COLUMN "source_updated_at",
         DROP COLUMN "source_message_id"`,
    );
    await q.query(`CREATE INDEX "crm_customer_vat_idx" ON "crm_customer" ("tenant", "vat_id")`);
    await q.query(`CREATE INDEX "crm_customer_search_name_idx" ON "crm_customer" ("tenant", "search_name")`);

    await q.query(`DROP INDEX "crm_order_customer_ref_idx"`);
    await q.query(
      `ALTER TABLE "crm_order" ADD "customer_source" text, ADD "status" text, ADD "parties" jsonb NOT NULL DEFAULT '[]'`,
    );
    await q.query(`UPDATE crm_order SET customer_source = source`);
    await q.query(`ALTER TABLE "crm_order" ALTER COLUMN "customer_source" SET NOT NULL`);
    await q.query(
      `CREATE INDEX "crm_order_customer_ref_idx" ON "crm_order" ("tenant", "customer_source", "customer_external_id", "ordered_at")`,
    );
  }

  async down(): Promise<void> {
    throw new Error('CustomerView1700000002000 cannot be reverted: restore the database from a backup');
  }
}
