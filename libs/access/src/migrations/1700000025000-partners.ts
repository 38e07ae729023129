import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  dropPolicies,
  isolateTenants,
  openToAllButPartners,
  partnerPolicy,
} from './1700000024000-row-level-security';

/**
 * Partner organisations (linked to unified customers), the partner their users, API keys and OAuth
 * clients belong to, and the partner scope: a restrictive policy on every table (but TypeORM's
 * migrations), so that a transaction set to a partner (`tradelane.partner`) sees no row at all until a
 * later migration says which rows of a table a partner sees (PartnerScope1700000026000 for the CRM's
 * orders, deliveries, invoices, cases, stock and customers).
 */
/**
 * The role a partner's transactions run as (the partner policies name it), and the gate through
 * which the application's login role may switch to it without inheriting it: a NOINHERIT role that
 * is a member of tradelane_partner. The login role is made a member of the gate
 * (scripts/setup-services.sh); a superuser switches anyway. An owner that may not create roles
 * needs them made beforehand (the setup script does), else this migration stops and says so.
 */
async function partnerRoles(q: QueryRunner): Promise<void> {
  await q.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tradelane_partner') THEN
        CREATE ROLE tradelane_partner NOLOGIN NOSUPERUSER NOBYPASSRLS;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tradelane_partner_gate') THEN
        CREATE ROLE tradelane_partner_gate NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
        GRANT tradelane_partner TO tradelane_partner_gate;
      END IF;
    EXCEPTION
      WHEN duplicate_object THEN NULL;
      WHEN unique_violation THEN NULL;
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'the roles tradelane_partner and tradelane_partner_gate are missing and % may not create them: run scripts/setup-services.sh as root (it creates them), then migrate again', current_user;
    END $$`);
}

export class Partners1700000025000 implements MigrationInterface {
  name = 'Partners1700000025000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "auth_partner" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant" text NOT NULL, "name" text NOT NULL, "kinds" text array NOT NULL DEFAULT '{}', "contact_email" text, "status" text NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_cad357f23f94335a7700c01496f" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "auth_partner_name_uq" ON "auth_partner"  ("tenant", "name") `);
    await q.query(
      `CREATE TABLE "auth_partner_customer" ("partner_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "tenant" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0dd31c8598c7d6f5a454d2125fd" PRIMARY KEY ("partner_id", "customer_id"))`,
    );
    await q.query(
      `CREATE INDEX "auth_partner_customer_customer_idx" ON "auth_partner_customer"  ("tenant", "customer_id") `,
    );
    await q.query(`ALTER TABLE "auth_token" ADD "partner_id" uuid`);
    await q.query(`ALTER TABLE "auth_client" ADD "partner_id" uuid`);
    await q.query(`ALTER TABLE "auth_user" ADD "partner_id" uuid`);
    await partnerRoles(q);
    await q.query(
      `CREATE OR REPLACE FUNCTION tradelane_partner() RETURNS uuid LANGUAGE sql STABLE
       AS $$ SELECT nullif(current_setting('tradelane.partner', true), '')::uuid $$`,
    );
    // The customers of the current partner (row-level security keeps them to the tenant).
    await q.query(
      `CREATE OR REPLACE FUNCTION tradelane_partner_customers() RETURNS SETOF uuid LANGUAGE sql STABLE
       AS $$ SELECT customer_id FROM auth_partner_customer WHERE partner_id = tradelane_partner() $$`,
    );
    const tables: { table_name: string; tenant: boolean }[] = await q.query(
      `SELECT t.table_name,
              EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema
                         AND c.table_name = t.table_name AND c.column_name = 'tenant') AS tenant
         FROM information_schema.tables t
        WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
          AND t.table_name NOT IN ('migrations', 'auth_partner', 'auth_partner_customer')
        ORDER BY 1`,
    );
    for (const { table_name, tenant } of tables) {
      // A table without a tenant column (the outbox, connector cursors, child rows) has no tenant
      // policy: it gets RLS with an open one, so that the partner scope can close it to partners.
      if (!tenant) await openToAllButPartners(q, table_name);
      await partnerPolicy(q, table_name, 'false');
    }
    await isolateTenants(q, 'auth_partner', 'id = tradelane_partner()');
    await isolateTenants(q, 'auth_partner_customer', 'partner_id = tradelane_partner()');
    await q.query(`DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tradelane_app') THEN
          EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON auth_partner, auth_partner_customer TO tradelane_app';
        END IF;
      END $$`);
    await q.query(`DO $$ BEGIN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO tradelane_partner', current_schema());
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO tradelane_partner', current_schema());
        EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO tradelane_partner', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tradelane_partner', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO tradelane_partner', current_schema());
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropPolicies(q, 'partner_scope', false);
    await dropPolicies(q, 'open', true);
    await q.query(`DROP TABLE "auth_partner_customer"`);
    await q.query(`DROP TABLE "auth_partner"`);
    await q.query(`DROP FUNCTION IF EXISTS tradelane_partner_customers()`);
    await q.query(`DROP FUNCTION IF EXISTS tradelane_partner()`);
    await q.query(`ALTER TABLE "auth_user" DROP COLUMN "partner_id"`);
    await q.query(`ALTER TABLE "auth_client" DROP COLUMN "partner_id"`);
    await q.query(`ALTER TABLE "auth_token" DROP COLUMN "partner_id"`);
  }
}
