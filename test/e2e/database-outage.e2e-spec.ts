/**
 * While PostgreSQL is stopped, and while it hangs (every postgres process SIGSTOPped), /health
 * answers within 2 s with 503 naming the database as the part that is down (no host or port), and
 * a write answers 503 with Retry-After instead of a bare 500. Everything recovers after.
 * Real: the compiled api, PostgreSQL (stopped, frozen, started again), RabbitMQ. Mocked: nothing.
 * Needs TRADELANE_TEST_PG_CLUSTER (set by scripts/ensure-services.sh when it runs PostgreSQL itself).
 */
import {
  AppProcess,
  createTestDatabase,
  ensureBuilt,
  freePort,
  startApp,
  TestDatabase,
  testServices,
  untilHealthy,
  waitFor,
} from '@tradelane/testing';
import { execFileSync } from 'node:child_process';

jest.setTimeout(120_000);

const services = testServices();
const cluster = process.env.TRADELANE_TEST_PG_CLUSTER?.split(' ');
let database: TestDatabase;
let api: AppProcess;
let base: string;

const pgctl = (action: 'start' | 'stop') =>
  execFileSync(
    'pg_ctlcluster',
    [...(cluster as string[]), action, ...(action === 'stop' ? ['-m', 'fast'] : [])],
    {
      stdio: 'ignore',
      timeout: 60_000,
    },
  );
const signalPostgres = (signal: 'STOP' | 'CONT') =>
  execFileSync('pkill', [`-${signal}`, '-u', 'postgres', 'postgres'], { stdio: 'ignore' });

async function timed(path: string, init?: RequestInit) {
  const started = Date.now();
  const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
  return { ms: Date.now() - started, status: res.status, headers: res.headers, text: await res.text() };
}

beforeAll(async () => {
  if (!cluster) throw new Error('TRADELANE_TEST_PG_CLUSTER is not set: run the tests through npm test');
  ensureBuilt();
  database = await createTestDatabase(services.databaseUrl, 'db_outage');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  api = startApp('api', {
    PORT: String(port),
    DATABASE_URL: database.url,
    AMQP_URL: services.amqpUrl,
    TRADELANE_SAMPLE: 'off',
    TRADELANE_SECRET_KEYS: 'k1:' + Buffer.alloc(32, 3).toString('base64'),
    DATABASE_CONNECT_TIMEOUT_MS: '1000',
  });
  await untilHealthy(api, base);
});

afterAll(async () => {
  signalPostgres('CONT');
  try {
    pgctl('start');
  } catch {
    /* already running */
  }
  api?.child.kill('SIGKILL');
  await api?.exited;
  await database?.drop();
});

const expectDatabaseDown = (r: { ms: number; status: number; text: string }) => {
  expect(r.ms).toBeLessThan(2_000);
  expect(r.status).toBe(503);
  const body = JSON.parse(r.text) as { details: { database: { status: string; cause: string } } };
  expect(body.details.database).toMatchObject({ status: 'down' });
  expect(r.text).not.toMatch(/127\.0\.0\.1|5432|localhost/);
};

it('answers /health within 2 s naming the database while PostgreSQL hangs, and again when it is stopped', async () => {
  signalPostgres('STOP');
  try {
    const hung = await timed('/health');
    expectDatabaseDown(hung);
    expect(JSON.parse(hung.text).details.database.cause).toBe('timeout');
  } finally {
    signalPostgres('CONT');
  }
  await waitFor(async () => (await timed('/health')).status === 200, { what: 'health back after SIGCONT' });

  pgctl('stop');
  try {
    const stopped = await timed('/health');
    expectDatabaseDown(stopped);
    const write = await timed('/connector-instances', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connector: 'erp-sap-idoc', name: 'outage', config: {} }),
    });
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBe('5');
    expect(write.text).toMatch(/the database is not reachable at the moment; nothing was changed/);
  } finally {
    pgctl('start');
  }
  await waitFor(async () => (await timed('/health')).status === 200, {
    timeoutMs: 30_000,
    what: 'health back',
  });
});
