/**
 * Tenant isolation enforced by the database, over real PostgreSQL (a superuser connection, the
 * hardest case: it bypasses policies unless it switches role) and the embedded PGlite: every table
 * with a tenant column has row-level security, forced; a raw query without any WHERE inside a
 * transaction set to tenant T returns no other tenant's row, in every such table; a write of another
 * tenant's row is refused by the database; system work (no tenant) sees everything; a transaction
 * set to a partner sees its customer and no row of the ledger, outbox, inbox or users.
 * Real: PostgreSQL, PGlite, the product's migrations, the app's Database. Mocked: nothing.
 */
import { Envelope } from '@tradelane/contracts';
import { Database, runScoped } from '@tradelane/persistence';
import {
  AppOnDatabase,
  bootAppOnNewDatabase,
  bootTestApp,
  CustomerEventFactory,
  publishAndSettle,
  TestApp,
} from '@tradelane/testing';

jest.setTimeout(120_000);

const ofTenant = <E extends Envelope>(e: E, tenant: string): E => ({ ...e, tenant });

async function tenantTables(db: Database): Promise<{ table: string; rls: boolean; forced: boolean }[]> {
  return db.sql(
    `SELECT c.relname AS "table", c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r'
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant' AND NOT a.attisdropped)
      ORDER BY 1`,
  );
}

async function proveIsolation(app: TestApp): Promise<void> {
  const { db } = app;
  const tables = await tenantTables(db);
  expect(tables.length).toBeGreaterThan(20);
  expect(tables.filter((t) => !t.rls || !t.forced)).toEqual([]); // a new table without RLS fails here
  // System work (no tenant) sees both tenants.
  const all = await db.transaction((tx) => tx.query(`SELECT DISTINCT tenant FROM crm_customer ORDER BY 1`));
  expect(all.map((r: { tenant: string }) => r.tenant)).toEqual(['acme', 'default']);
  for (const tenant of ['acme', 'default']) {
    const seen = await runScoped(tenant, () =>
      db.transaction(async (tx) => {
        const out: Record<string, string[]> = {};
        for (const t of tables)
          out[t.table] = (
            (await tx.query(`SELECT DISTINCT tenant FROM "${t.table}"`)) as { tenant: string | null }[]
          ).map((r) => String(r.tenant));
        return out;
      }),
    );
    for (const [table, tenants] of Object.entries(seen))
      if (tenants.some((x) => x !== tenant))
        throw new Error(`${table}: a transaction set to ${tenant} saw ${tenants.join(', ')}`);
    expect(seen.crm_customer).toEqual([tenant]);
  }
  // Writing another tenant's row is refused by the database itself.
  await expect(
    runScoped('acme', () =>
      db.transaction((tx) =>
        tx.query(
          `INSERT INTO crm_kb_article (tenant, case_type, title, body) VALUES ('default', 'damage', 'x', 'y')`,
        ),
      ),
    ),
  ).rejects.toThrow(/row-level security/);
  await expect(
    runScoped('acme', () =>
      db.transaction((tx) => tx.query(`UPDATE crm_customer SET name = 'taken' WHERE tenant = 'default'`)),
    ),
  ).resolves.toBeDefined(); // updates nothing: the rows are not there for it
  const [untouched] = await db.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM crm_customer WHERE name = 'taken'`,
  );
  expect(untouched.n).toBe(0);
  await provePartnerScope(db);
}

/** A partner linked to the Home customer sees it and nothing of the tables it has no business in. */
async function provePartnerScope(db: Database): Promise<void> {
  const [home] = await db.sql<{ id: string }>(`SELECT id FROM crm_customer WHERE tenant = 'default'`);
  const [partner] = await db.sql<{ id: string }>(
    `INSERT INTO auth_partner (tenant, name) VALUES ('default', 'Home partner') RETURNING id`,
  );
  await db.sql(
    `INSERT INTO auth_partner_customer (partner_id, customer_id, tenant) VALUES ($1, $2, 'default')`,
    [partner.id, home.id],
  );
  const seen = await runScoped(
    'default',
    () =>
      db.transaction(async (tx) => ({
        customers: ((await tx.query(`SELECT id FROM crm_customer`)) as { id: string }[]).map((r) => r.id),
        closed: (
          (await tx.query(
            `SELECT ((SELECT count(*) FROM outbox) + (SELECT count(*) FROM message_ledger)
                + (SELECT count(*) FROM inbox) + (SELECT count(*) FROM auth_user))::int AS n`,
          )) as { n: string }[]
        )[0].n,
      })),
    partner.id,
  );
  expect(seen).toEqual({ customers: [home.id], closed: 0 });
  const [all] = await db.sql<{ n: string }>(`SELECT count(*) AS n FROM message_ledger`);
  expect(Number(all.n)).toBeGreaterThan(0); // there was something to hide
}

describe('on PostgreSQL (superuser connection)', () => {
  let app: AppOnDatabase;
  beforeAll(async () => {
    app = await bootAppOnNewDatabase('rls');
    await publishAndSettle(app, [
      CustomerEventFactory.create({ name: 'Home' }),
      ofTenant(CustomerEventFactory.create({ name: 'Acme' }), 'acme'),
    ]);
  });
  afterAll(() => app?.close());

  it('isolates tenants in every table with a tenant column', () => proveIsolation(app));
});

describe('on the embedded database (PGlite)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({
      database: { kind: 'pglite', dataDir: 'memory://rls', poolSize: 1, logging: false },
    });
    const publish = async (e: Envelope) => app.bus.publish('tradelane.inbound', e);
    await publish(CustomerEventFactory.create({ name: 'Home' }));
    await publish(ofTenant(CustomerEventFactory.create({ name: 'Acme' }), 'acme'));
    for (let i = 0; i < 100; i++) {
      const [r] = await app.db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM crm_customer`);
      if (r.n === 2) break;
      await new Promise((res) => setTimeout(res, 100));
    }
  });
  afterAll(() => app?.close());

  it('isolates tenants the same way', () => proveIsolation(app));
});
