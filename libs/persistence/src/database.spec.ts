/**
 * The embedded database can never wait for itself.
 * Real: PGlite in memory (the embedded default), behind the same Database class the apps use.
 * Mocked: nothing.
 */
import { createDataSource, Database, detachedFromDatabase, NestedTransactionError } from './database';

jest.setTimeout(30_000);

let db: Database;

beforeAll(async () => {
  const config = { kind: 'pglite' as const, dataDir: 'memory://', poolSize: 1, logging: false };
  db = new Database(createDataSource(config, { entities: [], migrations: [] }), config);
  await db.connect();
  await db.sql('CREATE TABLE t (id int PRIMARY KEY)');
});

afterAll(() => db.close());

beforeEach(() => db.sql('DELETE FROM t'));

it('runs a read made inside a transaction in that transaction, instead of waiting for it forever', async () => {
  const seen = await db.transaction(async (tx) => {
    await tx.query('INSERT INTO t VALUES (1)');
    // A service called from a handler that reads through the Database, not the tx it was given.
    return db.sql<{ n: number }>('SELECT count(*)::int AS n FROM t');
  });
  expect(seen).toEqual([{ n: 1 }]);
});

it('refuses a transaction opened inside a transaction at once, and rolls the outer one back', async () => {
  await expect(
    db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (2)');
      await db.transaction((inner) => inner.query('INSERT INTO t VALUES (3)'));
    }),
  ).rejects.toBeInstanceOf(NestedTransactionError);
  expect(await db.sql('SELECT id FROM t')).toEqual([]);
  // The mutex was released: the next transaction runs.
  await db.transaction((tx) => tx.query('INSERT INTO t VALUES (4)'));
  expect(await db.sql('SELECT id FROM t')).toEqual([{ id: 4 }]);
});

it('lets work that a section started but did not wait for run as a section of its own', async () => {
  let later: Promise<unknown> = Promise.resolve();
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO t VALUES (5)');
    // A bus delivery started from inside a transaction: it must queue behind it, not join it.
    later = detachedFromDatabase(() => db.transaction((t) => t.query('INSERT INTO t VALUES (6)')));
  });
  await later;
  // Work that outlives the section that started it (a timer) is not inside it either.
  await db.read(async () => {
    later = new Promise((r) => setTimeout(r, 10)).then(() =>
      db.transaction((t) => t.query('INSERT INTO t VALUES (7)')),
    );
  });
  await later;
  expect((await db.sql<{ id: number }>('SELECT id FROM t ORDER BY id')).map((r) => r.id)).toEqual([5, 6, 7]);
});
