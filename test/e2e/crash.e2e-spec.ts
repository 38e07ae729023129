/**
 * Crash test: the real worker process is SIGKILLed at random moments 20 times while 5,000 messages
 * flow, and restarted each time. Afterwards every message's effect exists exactly once and the
 * ledger accounts for all 5,000.
 * Real: PostgreSQL, RabbitMQ, the compiled worker app. Mocked: nothing.
 */
import { INBOUND_EXCHANGE, queueName } from '@tradelane/messaging';
import {
  AppProcess,
  createTestDatabase,
  CustomerEventFactory,
  ensureBuilt,
  freePort,
  RawPublisher,
  resetBroker,
  sleep,
  startApp,
  TestDatabase,
  testServices,
  untilHealthy,
  waitFor,
} from '@tradelane/testing';
import amqp from 'amqplib';

jest.setTimeout(240_000);

const services = testServices();
const TOTAL = 5_000;
const KILLS = 20;
let database: TestDatabase;

beforeAll(async () => {
  ensureBuilt();
  await resetBroker(services.amqpUrl, services.rabbitmqctl);
  database = await createTestDatabase(services.databaseUrl, 'crash');
});

afterAll(async () => {
  await database?.drop();
});

/** The worker declares its queue at start-up; publishing before that would be unroutable. */
async function waitForQueue(output: () => string): Promise<void> {
  const conn = await amqp.connect(services.amqpUrl);
  conn.on('error', () => undefined);
  try {
    await waitFor(
      async () => {
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        const ok = await ch.checkQueue(queueName('core')).then(
          () => true,
          () => false,
        );
        if (ok) await ch.close();
        return ok;
      },
      { timeoutMs: 30_000, intervalMs: 200, what: 'the worker queue' },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\nworker output:\n${output()}`);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

async function count(sql: string): Promise<number> {
  const [row] = await database.db.sql<{ n: string }>(sql);
  return Number(row.n);
}

it(`loses and duplicates nothing when the worker is killed ${KILLS} times mid-stream`, async () => {
  const env = {
    DATABASE_URL: database.url,
    AMQP_URL: services.amqpUrl,
    WORKER_PORT: String(await freePort()),
    MESSAGING_BATCH_SIZE: '100',
    OUTBOX_POLL_MS: '50',
  };
  // Each kill lands while the worker consumes, not while it boots: it is healthy first (booting
  // takes a second or more on the 2-core CI machines, longer than the old fixed delays).
  const spawnWorker = async (logLevel = 'warn') => {
    const w = startApp('worker', { ...env, LOG_LEVEL: logLevel });
    await untilHealthy(w, `http://127.0.0.1:${env.WORKER_PORT}`);
    return w;
  };

  // The worker declares its queue; wait for it before publishing so nothing is unroutable.
  let worker: AppProcess = await spawnWorker();
  await waitForQueue(() => worker.output());

  const events = Array.from({ length: TOTAL }, (_, i) =>
    CustomerEventFactory.create({ externalId: `CRASH-${i}` }),
  );
  const publisher = await RawPublisher.open(services.amqpUrl);
  // A steady stream while the kills go on (~125 messages/s); the last RESERVE wait for the kills to
  // end, so every kill finds work still to do however long the restarts take.
  const RESERVE = 500;
  let killing = true;
  const publishing = (async () => {
    let i = 0;
    while (i < TOTAL) {
      const n = killing ? Math.min(25, TOTAL - RESERVE - i) : TOTAL - i;
      if (n > 0) {
        await publisher.publishMany(
          INBOUND_EXCHANGE,
          events.slice(i, i + n).map((e) => ({ routingKey: e.type, body: JSON.stringify(e) })),
        );
        i += n;
      }
      if (i < TOTAL) await sleep(200);
    }
  })();

  const killedAt: number[] = [];
  for (let k = 0; k < KILLS; k++) {
    await sleep(200 + Math.floor(Math.random() * 800));
    killedAt.push(await count(`SELECT count(*) AS n FROM inbox WHERE consumer = 'core'`));
    worker.child.kill('SIGKILL');
    await worker.exited;
    worker = await spawnWorker(k === KILLS - 1 ? 'info' : 'warn');
  }
  killing = false;
  await publishing;
  await publisher.close();

  try {
    await waitFor(
      async () => (await count(`SELECT count(*) AS n FROM inbox WHERE consumer = 'core'`)) >= TOTAL,
      {
        timeoutMs: 120_000,
        intervalMs: 250,
        what: `all ${TOTAL} messages processed`,
      },
    );
    await waitFor(
      async () => (await count(`SELECT count(*) AS n FROM outbox WHERE published_at IS NULL`)) === 0,
      {
        timeoutMs: 60_000,
        what: 'outbox drained',
      },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\nworker output:\n${worker.output()}`);
  }
  // Graceful stop drains and exits cleanly.
  worker.child.kill('SIGTERM');
  const exit = await worker.exited;
  expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
  expect(worker.output()).toContain('message consumers drained');

  // The kills really happened while messages were flowing.
  expect(killedAt.filter((n) => n > 0 && n < TOTAL).length).toBeGreaterThanOrEqual(KILLS / 2);

  expect(await count(`SELECT count(*) AS n FROM crm_customer_record WHERE external_id LIKE 'CRASH-%'`)).toBe(
    TOTAL,
  );
  expect(await count(`SELECT count(*) AS n FROM crm_customer_record WHERE revision <> 1`)).toBe(0); // no effect applied twice
  expect(await count(`SELECT count(*) AS n FROM inbox WHERE consumer = 'core'`)).toBe(TOTAL);
  expect(
    await count(
      `SELECT count(*) AS n FROM message_ledger WHERE direction = 'in' AND consumer = 'core' AND status = 'processed'`,
    ),
  ).toBe(TOTAL);
  expect(
    await count(
      `SELECT count(DISTINCT message_id) AS n FROM message_ledger WHERE direction = 'in' AND consumer = 'core' AND status = 'processed'`,
    ),
  ).toBe(TOTAL);
  const ids = new Set(events.map((e) => e.id));
  const ledgerIds = await database.db.sql<{ message_id: string }>(
    `SELECT message_id FROM message_ledger WHERE direction = 'in' AND consumer = 'core' AND status = 'processed'`,
  );
  expect(ledgerIds.every((r) => ids.has(r.message_id))).toBe(true);
  expect(await count(`SELECT count(*) AS n FROM outbox`)).toBe(TOTAL); // one created event per customer
  expect(await count(`SELECT count(*) AS n FROM dead_letter`)).toBe(0);
});
