import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant isolation in the database: every table with a `tenant` column gets row-level security,
 * forced (its owner is subject to it too), with one policy: a transaction set to a tenant
 * (`tradelane.tenant`, set by Database from the request's scope) sees and writes only that tenant's
 * rows; one set to none (system work: consumers, jobs, migrations) every row. `tradelane_app` is the
 * role without BYPASSRLS that a superuser connection (the test clusters, the embedded database)
 * switches to in scoped transactions, since superusers bypass every policy.
 * Tables added later call `isolateTenants` in their own migration (a test checks none is missed).
 */
export class RowLevelSecurity1700000024000 implements MigrationInterface {
  name = 'RowLevelSecurity1700000024000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DO $$ BEGIN
        CREATE ROLE tradelane_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
      EXCEPTION
        WHEN duplicate_object THEN NULL;
        WHEN unique_violation THEN NULL; -- two databases migrating at once
        WHEN insufficient_privilege THEN RAISE NOTICE 'tradelane_app not created: not allowed (not needed when the app role is not a superuser)';
      END $$`);
    await q.query(
      `CREATE OR REPLACE FUNCTION tradelane_tenant() RETURNS text LANGUAGE sql STABLE
       AS $$ SELECT nullif(current_setting('tradelane.tenant', true), '') $$`,
    );
    const tables: { table_name: string }[] = await q.query(
      `SELECT c.table_name FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.column_name = 'tenant' AND c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
        ORDER BY 1`,
    );
    for (const { table_name } of tables) await tenantPolicy(q, table_name);
    await q.query(`DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tradelane_app') THEN
          EXECUTE format('GRANT USAGE ON SCHEMA %I TO tradelane_app', current_schema());
          EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO tradelane_app', current_schema());
          EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO tradelane_app', current_schema());
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tradelane_app', current_schema());
          EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO tradelane_app', current_schema());
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropPolicies(q, 'tenant_isolation', true);
    await q.query(`DROP FUNCTION IF EXISTS tradelane_tenant()`);
  }
}

/**
 * Row-level security on a table with a `tenant` column (for migrations that add one): the tenant
 * policy, and the partner scope (a partner's request sees none of its rows unless `partnerSees`,
 * an SQL condition on the row, says which: see PartnerScope1700000026000).
 */
export async function isolateTenants(q: QueryRunner, table: string, partnerSees = 'false'): Promise<void> {
  await tenantPolicy(q, table);
  await partnerPolicy(q, table, partnerSees);
}

/**
 * The partner scope of a table: restrictive (it narrows the tenant policy), for the role
 * tradelane_partner only (a partner's transactions run as it), so staff and system work never pay
 * for it, not even in planning. Replaces the table's previous one.
 */
export async function partnerPolicy(q: QueryRunner, table: string, partnerSees: string): Promise<void> {
  checkName(table);
  await q.query(`DROP POLICY IF EXISTS partner_scope ON "${table}"`);
  await q.query(
    `CREATE POLICY partner_scope ON "${table}" AS RESTRICTIVE TO tradelane_partner
       USING (${partnerSees}) WITH CHECK (${partnerSees})`,
  );
}

/**
 * Row-level security on a table without a tenant column (the outbox, connector cursors): open to
 * everyone (policy `open`), so that its partner scope alone decides what a partner sees of it.
 */
export async function openToAllButPartners(q: QueryRunner, table: string): Promise<void> {
  checkName(table);
  await q.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
  await q.query(`DROP POLICY IF EXISTS open ON "${table}"`);
  await q.query(`CREATE POLICY open ON "${table}" USING (true) WITH CHECK (true)`);
}

/** Drops the policy `name` from every table that has it (and, with `disable`, their row-level security). */
export async function dropPolicies(q: QueryRunner, name: string, disable: boolean): Promise<void> {
  const tables: { tablename: string }[] = await q.query(
    `SELECT tablename FROM pg_policies WHERE policyname = $1 AND schemaname = current_schema()`,
    [name],
  );
  for (const { tablename } of tables) {
    await q.query(`DROP POLICY "${name}" ON "${tablename}"`);
    if (!disable) continue;
    await q.query(`ALTER TABLE "${tablename}" NO FORCE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE "${tablename}" DISABLE ROW LEVEL SECURITY`);
  }
}

function checkName(table: string): void {
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
}

async function tenantPolicy(q: QueryRunner, table: string): Promise<void> {
  checkName(table);
  await q.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
  await q.query(
    `CREATE POLICY tenant_isolation ON "${table}"
       USING (tradelane_tenant() IS NULL OR tenant = tradelane_tenant())
       WITH CHECK (tradelane_tenant() IS NULL OR tenant = tradelane_tenant())`,
  );
}
