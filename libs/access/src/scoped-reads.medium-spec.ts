/**
 * Reads of a tenant-scoped request, over real PostgreSQL: they run on the scoped pool as named
 * prepared statements (parse and policy expansion once per connection), in TypeORM's result shape,
 * and a connection holds a bounded number of them (SQL with values built in cannot grow it without end).
 * Real: PostgreSQL, the product's migrations and Database. Mocked: nothing.
 */
import { runScoped } from '@tradelane/persistence';
import { AppOnDatabase, bootAppOnNewDatabase } from '@tradelane/testing';

jest.setTimeout(120_000);

let app: AppOnDatabase;
beforeAll(async () => {
  app = await bootAppOnNewDatabase('scoped-reads', { consume: false });
});
afterAll(() => app?.close());

it('prepares each SQL text once per connection, at most 500, and answers like TypeORM', async () => {
  const out = await runScoped('acme', () =>
    app.db.read(async (m) => {
      const first = await m.query(`SELECT $1::int AS n`, [1]);
      const again = await m.query(`SELECT $1::int AS n`, [2]);
      for (let i = 0; i < 600; i++) await m.query(`SELECT ${i} AS n`); // 600 texts
      const [held] = await m.query(`SELECT count(*)::int AS n FROM pg_prepared_statements`);
      const tenant = await m.query(`SELECT current_setting('tradelane.tenant') AS t`);
      const update = await m.query(`UPDATE crm_customer SET name = name WHERE false`);
      return { first, again, held: held.n, tenant, update };
    }),
  );
  expect(out.first).toEqual([{ n: 1 }]);
  expect(out.again).toEqual([{ n: 2 }]);
  expect(out.held).toBe(500);
  expect(out.tenant).toEqual([{ t: 'acme' }]);
  expect(out.update).toEqual([[], 0]); // UPDATE answers [rows, count], as TypeORM does
});
