/**
 * Crash test for pulling: the compiled worker is SIGKILLed at random moments 20 times while it
 * pulls 2,000 records page by page (20 a page, a slow source) from an example-http instance, and
 * restarted each time. Afterwards every record went to tradelane.inbound exactly once (no page
 * repeated: no outbox row twice; none skipped: every record in the CRM), and the cursor counted
 * exactly 100 pages.
 * Real: PostgreSQL, RabbitMQ, the compiled worker and CLI, an HTTP source. Mocked: nothing.
 */
import { SecretBox } from '@tradelane/connector-host';
import { ExampleSource } from '@tradelane/example-http/testing';
import {
  AppProcess,
  createTestDatabase,
  ensureBuilt,
  freePort,
  REPO_ROOT,
  resetBroker,
  sleep,
  startApp,
  TestDatabase,
  testServices,
  untilHealthy,
  waitFor,
} from '@tradelane/testing';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

jest.setTimeout(240_000);

const services = testServices();
const TOTAL = 2_000;
const PAGE = 20;
const KILLS = 20;
const TOKEN = 'crash-token-5b1f';
const INSTANCE = 'example-http:crash';
const KEYS = SecretBox.generateKeySpec('k1');
let database: TestDatabase;
let source: ExampleSource;

beforeAll(async () => {
  ensureBuilt();
  await resetBroker(services.amqpUrl, services.rabbitmqctl);
  database = await createTestDatabase(services.databaseUrl, 'pull_crash');
  source = new ExampleSource(TOKEN);
  source.seed(TOTAL, 0, Date.now() - 3600_000);
  source.delayMs = 120; // a page takes a while, so the 20 kills land mid-pull
});

afterAll(async () => {
  await source?.stop();
  await database?.drop();
});

const count = async (sql: string) => Number((await database.db.sql<{ n: string }>(sql))[0].n);

it(`skips and repeats no page when the worker is killed ${KILLS} times mid-pull`, async () => {
  const baseUrl = await source.start();
  const env = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: database.url,
    TRADELANE_SECRET_KEYS: KEYS,
    TRADELANE_OUTBOUND_ALLOW: 'loopback', // the source runs on this machine
  };
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'dist/apps/cli/src/main.js'), ...args], {
      env,
    });
  await cli('migrate');
  await cli(
    'connectors',
    'add',
    'example-http',
    '--name',
    'crash',
    '--poll-seconds',
    '1',
    '--config',
    JSON.stringify({ baseUrl, apiToken: TOKEN, pageSize: PAGE }),
  );

  const workerEnv = {
    DATABASE_URL: database.url,
    AMQP_URL: services.amqpUrl,
    TRADELANE_SECRET_KEYS: KEYS,
    TRADELANE_OUTBOUND_ALLOW: 'loopback', // the source runs on this machine
    WORKER_PORT: String(await freePort()),
    CONNECTOR_TICK_MS: '100',
    OUTBOX_POLL_MS: '50',
  };
  // Each kill lands at a random moment of pulling, not of booting: the worker is healthy first
  // (booting takes about a second on the 2-core machines, more than the old fixed delays).
  const spawnWorker = async () => {
    const w = startApp('worker', workerEnv);
    await untilHealthy(w, `http://127.0.0.1:${workerEnv.WORKER_PORT}`);
    return w;
  };
  let worker: AppProcess = await spawnWorker();
  const pagesAt: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    await sleep(200 + Math.floor(Math.random() * 900));
    pagesAt.push(await count(`SELECT coalesce(sum(pages), 0) AS n FROM connector_cursor`));
    worker.child.kill('SIGKILL');
    await worker.exited;
    worker = await spawnWorker();
  }
  try {
    await waitFor(
      async () =>
        (await count(`SELECT count(*) AS n FROM crm_customer_record WHERE source = '${INSTANCE}'`)) === TOTAL,
      { timeoutMs: 120_000, intervalMs: 250, what: `all ${TOTAL} records in the CRM` },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\nworker output:\n${worker.output()}`);
  }
  worker.child.kill('SIGTERM');
  await worker.exited;

  // The kills really happened while pages were being pulled.
  expect(pagesAt.filter((n) => n > 0 && n < TOTAL / PAGE).length).toBeGreaterThanOrEqual(KILLS / 2);
  // No page skipped: every record of the source is in the CRM.
  const ids = (
    await database.db.sql<{ external_id: string }>(
      `SELECT external_id FROM crm_customer_record WHERE source = '${INSTANCE}' ORDER BY external_id`,
    )
  ).map((r) => r.external_id);
  expect(ids).toEqual(source.records('customers').map((r) => r.id));
  // No page repeated: each record was written to the outbox once, and the cursor moved 100 times.
  expect(await count(`SELECT count(*) AS n FROM outbox WHERE exchange = 'tradelane.inbound'`)).toBe(TOTAL);
  expect(
    await count(`SELECT count(DISTINCT message_id) AS n FROM outbox WHERE exchange = 'tradelane.inbound'`),
  ).toBe(TOTAL);
  const [cursor] = await database.db.sql<{ pages: string; records: string }>(
    `SELECT pages, records FROM connector_cursor WHERE instance_id = '${INSTANCE}' AND stream = 'customers'`,
  );
  expect({ pages: Number(cursor.pages), records: Number(cursor.records) }).toEqual({
    pages: TOTAL / PAGE,
    records: TOTAL,
  });
  expect(
    await count(
      `SELECT count(*) AS n FROM message_ledger WHERE source = '${INSTANCE}' AND status = 'processed'`,
    ),
  ).toBe(TOTAL);
});
