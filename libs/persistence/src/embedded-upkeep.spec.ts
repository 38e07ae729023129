/**
 * The embedded database's upkeep: what autovacuum does on a server. Without it the planner takes
 * every table for empty and a join over a few hundred orders runs for seconds (a nested loop per
 * row), blocking the whole process.
 * Real: PGlite in memory, behind the Database class the apps use. Mocked: nothing.
 */
import { createDataSource, Database } from './database';
import { DatabaseConfig } from './database.config';
import { EmbeddedUpkeep } from './embedded-upkeep';

jest.setTimeout(60_000);

let db: Database;
const config: DatabaseConfig = {
  kind: 'pglite',
  dataDir: 'memory://',
  poolSize: 1,
  logging: false,
  upkeepIntervalMs: 50,
};

const tuples = async (table: string) =>
  (await db.sql<{ n: number }>(`SELECT reltuples::int AS n FROM pg_class WHERE relname = $1`, [table]))[0].n;

beforeAll(async () => {
  db = new Database(createDataSource(config, { entities: [], migrations: [] }), config);
  await db.connect();
  await db.sql('CREATE TABLE customer (id int PRIMARY KEY, name text)');
  await db.sql('CREATE TABLE orders (id int PRIMARY KEY, customer_id int, amount numeric)');
  await db.sql('CREATE INDEX orders_customer_idx ON orders (customer_id)');
});
afterAll(() => db.close());

/** PostgreSQL writes its statistics at most once a second: the tests ask for them now. */
const flushStats = async () => {
  await db.sql('SELECT pg_stat_force_next_flush()');
  await db.sql('SELECT 1');
};

it('analyses the tables the planner knows nothing of, and again once a tenth of a table changed', async () => {
  const upkeep = new EmbeddedUpkeep(db, 0);
  await db.sql(`INSERT INTO customer SELECT g, 'c' || g FROM generate_series(1, 100) g`);
  await db.sql(`INSERT INTO orders SELECT g, 1 + g % 100, g FROM generate_series(1, 3000) g`);
  // Never analysed (a new database, its first records): the planner guesses.
  expect(await tuples('orders')).toBe(-1);
  await flushStats();
  expect((await upkeep.round()).analyzed.sort()).toEqual(['customer', 'orders']);
  expect(await tuples('orders')).toBe(3000);
  expect(await tuples('customer')).toBe(100);
  await flushStats();
  expect(await upkeep.round()).toEqual({ analyzed: [], vacuumed: [] }); // nothing changed since
  // Below the threshold (50 + 10 % of 3,000 rows): left alone; past it, analysed again.
  await db.sql(`UPDATE orders SET amount = amount + 1 WHERE id <= 300`);
  await flushStats();
  expect((await upkeep.round()).analyzed).toEqual([]);
  await db.sql(`UPDATE orders SET amount = amount + 1 WHERE id <= 100`);
  await flushStats();
  expect((await upkeep.round()).analyzed).toEqual(['orders']);
});

it('vacuums a table once a fifth of its rows are dead', async () => {
  const upkeep = new EmbeddedUpkeep(db, 0);
  await upkeep.round();
  await db.sql(`DELETE FROM orders WHERE id > 2000`); // a third of the rows
  await flushStats();
  expect(await upkeep.round()).toEqual({ analyzed: ['orders'], vacuumed: ['orders'] });
  const [dead] = await db.sql<{ n: number }>(
    `SELECT n_dead_tup::int AS n FROM pg_stat_user_tables WHERE relname = 'orders'`,
  );
  expect(dead.n).toBe(0);
});

it('runs by itself on the database the app opens, and stops with it', async () => {
  await db.sql(`INSERT INTO customer SELECT g, 'c' || g FROM generate_series(101, 400) g`);
  db.startUpkeep();
  const deadline = Date.now() + 10_000;
  while ((await tuples('customer')) !== 400 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  expect(await tuples('customer')).toBe(400);
});

it('goes ahead of queued work, as does the health ping: an import queue does not delay them', async () => {
  const done: string[] = [];
  // Ten transactions queued at once on the one connection, as an import's batches are.
  const queued = Array.from({ length: 10 }, (_, i) =>
    db.transaction(async (tx) => {
      await tx.query('SELECT pg_sleep(0.02)');
      done.push(`tx${i}`);
    }),
  );
  const ahead = [
    db.refreshStatistics().then(() => done.push('statistics')),
    db.ping().then(() => done.push('ping')),
  ];
  await Promise.all([...queued, ...ahead]);
  // The first transaction already had the connection; the two take the next turns.
  expect(done.indexOf('statistics')).toBeLessThan(3);
  expect(done.indexOf('ping')).toBeLessThan(3);
  expect(done.filter((d) => d.startsWith('tx'))).toEqual(Array.from({ length: 10 }, (_, i) => `tx${i}`));
});
