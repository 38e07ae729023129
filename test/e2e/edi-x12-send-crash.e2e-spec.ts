/**
 * Control numbers of what we send never repeat across restarts: fulfilment requests for six
 * orders go to a warehouse-x12 instance while the compiled worker is SIGKILLed after each (at a
 * random moment: before, during or after writing the 940) and restarted. Afterwards each request
 * has exactly one 940, every 940 reads cleanly, and no ISA13, GS06 or ST02 is used twice.
 * Real: PostgreSQL, RabbitMQ, the compiled worker and CLI, the outbound folder. Mocked: nothing.
 */
import { SecretBox } from '@tradelane/connector-host';
import { readX12 } from '@tradelane/connector-sdk/edi';
import { createEnvelope, OrderFulfilmentRequestedV1 } from '@tradelane/contracts';
import { EVENTS_EXCHANGE } from '@tradelane/messaging';
import {
  AppProcess,
  createTestDatabase,
  ensureBuilt,
  freePort,
  RawPublisher,
  resetBroker,
  runCli,
  sleep,
  startApp,
  TestDatabase,
  testServices,
  untilHealthy,
  waitFor,
} from '@tradelane/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

jest.setTimeout(240_000);

const services = testServices();
const INSTANCE = 'warehouse-x12:dc1';
const ORDERS = 6;
let database: TestDatabase;
let out: string;

beforeAll(async () => {
  ensureBuilt();
  await resetBroker(services.amqpUrl, services.rabbitmqctl);
  database = await createTestDatabase(services.databaseUrl, 'x12_send_crash');
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'x12-940-out-'));
});

afterAll(async () => {
  await database?.drop();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

const request = (n: number): OrderFulfilmentRequestedV1 => ({
  requestId: `0193a5b0-0000-7000-8000-${String(n).padStart(12, '0')}`,
  orderSource: 'erp-sap-idoc:main',
  orderExternalId: `SO-${n}`,
  depositor: { name: 'Alfreds Futterkiste', externalId: 'ALFKI' },
  shipTo: { name: 'Alfreds Futterkiste', externalId: 'ALFKI', city: 'Berlin', country: 'DE' },
  orderedAt: '2026-11-30T09:15:00.000Z',
  lines: [{ sku: `SKU-${n}`, quantity: n }],
  toSources: [INSTANCE],
});

it('never gives a control number twice when the worker is killed between and during sends', async () => {
  const env = {
    DATABASE_URL: database.url,
    TRADELANE_SECRET_KEYS: SecretBox.generateKeySpec('k1'),
    TRADELANE_FILE_ROOTS: os.tmpdir(),
  };
  expect((await runCli(env, 'migrate')).code).toBe(0);
  const add = await runCli(
    env,
    'connectors',
    'add',
    'warehouse-x12',
    '--name',
    'dc1',
    '--config',
    JSON.stringify({ outboundFolder: out, warehouseId: 'DC1', interchangeId: 'TRADELANE' }),
  );
  expect(add).toMatchObject({ code: 0 });

  const workerEnv = {
    ...env,
    AMQP_URL: services.amqpUrl,
    WORKER_PORT: String(await freePort()),
    CONNECTOR_TICK_MS: '100',
    OUTBOX_POLL_MS: '50',
  };
  const publisher = await RawPublisher.open(services.amqpUrl);
  const start = async () => {
    const w = startApp('worker', workerEnv);
    await untilHealthy(w, `http://127.0.0.1:${workerEnv.WORKER_PORT}`); // its queues are bound
    return w;
  };
  let worker: AppProcess = await start();
  try {
    for (let n = 1; n <= ORDERS; n++) {
      await publisher.publishEnvelope(
        EVENTS_EXCHANGE,
        createEnvelope({
          type: 'crm.order.fulfilment-requested.v1',
          source: 'tradelane-crm',
          key: `erp-sap-idoc:main/SO-${n}`,
          payload: request(n),
        }),
      );
      // Half the kills after the 940 is there, half at a random moment (before or while it is written).
      if (n % 2)
        await waitFor(async () => fs.readdirSync(out).some((f) => f.startsWith(`940_SO-${n}_`)), {
          timeoutMs: 60_000,
          what: `the 940 of SO-${n}`,
        });
      else await sleep(Math.floor(Math.random() * 1500));
      worker.child.kill('SIGKILL');
      await worker.exited;
      worker = await start();
    }
    await waitFor(
      async () => {
        const sent = await database.db.sql<{ n: string }>(
          `SELECT count(*) AS n FROM connector_delivery WHERE instance_id = $1 AND state = 'sent'`,
          [INSTANCE],
        );
        return Number(sent[0].n) === ORDERS;
      },
      { timeoutMs: 90_000, what: `${ORDERS} deliveries sent` },
    );
  } catch (e) {
    const owed = await database.db.sql(
      `SELECT message_id, state, attempts, last_error FROM connector_delivery`,
    );
    throw new Error(
      `${(e as Error).message}\ndeliveries: ${JSON.stringify(owed)}\nworker output:\n${worker.output()}`,
    );
  } finally {
    worker.child.kill('SIGTERM');
    await worker.exited;
    await publisher.close();
  }

  const files = fs
    .readdirSync(out)
    .filter((f) => f.endsWith('.x12'))
    .sort();
  // Exactly one 940 per request: a send retried after a kill wrote the same file again.
  expect(files.map((f) => f.split('_')[1]).sort()).toEqual(
    Array.from({ length: ORDERS }, (_, i) => `SO-${i + 1}`).sort(),
  );
  const numbers = files.map((f) => {
    const doc = readX12(fs.readFileSync(path.join(out, f), 'utf8'));
    const ic = doc.interchanges[0];
    expect([ic.problems, ic.groups[0].problems, ic.groups[0].sets[0].problems]).toEqual([[], [], []]);
    return { isa: ic.control, gs: ic.groups[0].control, st: ic.groups[0].sets[0].control };
  });
  for (const k of ['isa', 'gs', 'st'] as const) expect(new Set(numbers.map((x) => x[k])).size).toBe(ORDERS);
});
