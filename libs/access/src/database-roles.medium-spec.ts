/**
 * The application's database role as production should have it, over real PostgreSQL: the
 * migrations run as the schema's owner (DATABASE_MIGRATION_URL) and the app connects as a role that
 * is no superuser, has no BYPASSRLS and owns no table. The app works (consumers write, the API
 * reads), the app role cannot turn row-level security off, a transaction set to a tenant sees only
 * that tenant's rows, and a role that owns the tables is warned about at boot.
 * Real: PostgreSQL (roles, ownership, policies), the app, its migrations. Mocked: nothing.
 */
import { Envelope } from '@tradelane/contracts';
import { createDataSource, Database, runScoped } from '@tradelane/persistence';
import { bootTestApp, CustomerEventFactory, TestApp } from '@tradelane/testing';
import { Client } from 'pg';

jest.setTimeout(120_000);

const suffix = `${process.pid}`;
const OWNER = `tl_owner_${suffix}`;
const APP = `tl_app_${suffix}`;
const DB = `tl_roles_${suffix}`;
const PASSWORD = 'roles-test-password';
let admin: Client;
let app: TestApp;

const urlAs = (role: string): string => {
  const u = new URL(process.env.DATABASE_URL as string);
  u.username = role;
  u.password = PASSWORD;
  u.pathname = `/${DB}`;
  return u.toString();
};
const ofTenant = <E extends Envelope>(e: E, tenant: string): E => ({ ...e, tenant });

beforeAll(async () => {
  admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  for (const role of [APP, OWNER]) await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.query(`CREATE ROLE ${OWNER} LOGIN NOSUPERUSER NOCREATEROLE PASSWORD '${PASSWORD}'`);
  await admin.query(`CREATE ROLE ${APP} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD '${PASSWORD}'`);
  await admin.query(`CREATE DATABASE ${DB} OWNER ${OWNER}`);
  // What scripts/setup-services.sh does on a server: the policy role exists, the app role is in it.
  await admin.query(`DO $$ BEGIN CREATE ROLE tradelane_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
                     EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  await admin.query(`GRANT tradelane_app TO ${APP}`);
  await admin.query(`DO $$ BEGIN CREATE ROLE tradelane_partner NOLOGIN;
                     EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  await admin.query(`DO $$ BEGIN CREATE ROLE tradelane_partner_gate NOLOGIN NOINHERIT;
                     EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
  await admin.query(`GRANT tradelane_partner TO tradelane_partner_gate`);
  await admin.query(`GRANT tradelane_partner_gate TO ${APP}`);
  app = await bootTestApp({
    database: { kind: 'postgres', url: urlAs(APP), migrationUrl: urlAs(OWNER), poolSize: 4, logging: false },
  });
});

afterAll(async () => {
  await app?.close();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  for (const role of [APP, OWNER]) await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
});

it('migrates as the owner; the app role is no superuser, has no BYPASSRLS and owns no table', async () => {
  const [me] = await app.db.sql<{
    role: string;
    sup: boolean;
    bypass: boolean;
    owned: number;
    ownerTables: number;
  }>(
    `SELECT current_user AS role, rolsuper AS sup, rolbypassrls AS bypass,
            (SELECT count(*)::int FROM pg_tables WHERE tableowner = current_user) AS owned,
            (SELECT count(*)::int FROM pg_tables WHERE tableowner = $1 AND schemaname = 'public') AS "ownerTables"
       FROM pg_roles WHERE rolname = current_user`,
    [OWNER],
  );
  expect(me).toEqual({ role: APP, sup: false, bypass: false, owned: 0, ownerTables: expect.any(Number) });
  expect(me.ownerTables).toBeGreaterThan(30);
  expect(await app.db.roleWarnings()).toEqual([]);
  await expect(app.db.sql(`ALTER TABLE crm_customer DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(
    /must be owner/,
  );
  await expect(app.db.sql(`DROP POLICY tenant_isolation ON crm_customer`)).rejects.toThrow(/must be owner/);
});

it('works as that role, and a transaction set to a tenant sees only its rows', async () => {
  await app.bus.publish('tradelane.inbound', CustomerEventFactory.create({ name: 'Home' }));
  await app.bus.publish('tradelane.inbound', ofTenant(CustomerEventFactory.create({ name: 'Acme' }), 'acme'));
  for (let i = 0; i < 100; i++) {
    const [r] = await app.db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM crm_customer`);
    if (r.n === 2) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const seen = await runScoped('acme', () =>
    app.db.transaction((tx) => tx.query(`SELECT name, tenant FROM crm_customer`)),
  );
  expect(seen).toEqual([{ name: 'Acme', tenant: 'acme' }]);
  // Its own work (no tenant) is not bound by the partner policies it could switch to...
  const [all] = await app.db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM message_ledger`);
  expect(all.n).toBeGreaterThan(0);
  // ...and a partner's transaction, as tradelane_partner, sees none of the ledger and no customer
  // it is not linked to.
  const partner = await runScoped(
    'acme',
    () =>
      app.db.transaction(async (tx) => ({
        role: ((await tx.query(`SELECT current_user AS r`)) as { r: string }[])[0].r,
        ledger: ((await tx.query(`SELECT count(*)::int AS n FROM message_ledger`)) as { n: number }[])[0].n,
        customers: ((await tx.query(`SELECT count(*)::int AS n FROM crm_customer`)) as { n: number }[])[0].n,
      })),
    '00000000-0000-4000-8000-000000000001',
  );
  expect(partner).toEqual({ role: 'tradelane_partner', ledger: 0, customers: 0 });
});

it('warns at boot about an app role that owns the tables and cannot take the partner role', async () => {
  const config = { kind: 'postgres' as const, url: urlAs(OWNER), poolSize: 1, logging: false };
  const owner = new Database(createDataSource(config, { entities: [], migrations: [] }), config);
  await owner.connect();
  try {
    expect(await owner.roleWarnings()).toEqual([
      expect.stringMatching(/cannot act as tradelane_partner/),
      expect.stringMatching(new RegExp(`${OWNER} owns \\d+ tables`)),
    ]);
  } finally {
    await owner.close();
  }
});
