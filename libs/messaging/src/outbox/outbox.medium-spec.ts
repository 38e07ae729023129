/**
 * Outbox under a broker outage, against real PostgreSQL and RabbitMQ (stopped and started with
 * rabbitmqctl). Real: PostgreSQL, RabbitMQ, the worker app (outbox relay), the CRM customer service.
 * Mocked: nothing.
 */
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { CustomerService, UnitOfWork } from '@tradelane/crm-core';
import { EVENTS_EXCHANGE, MessagingMetrics, OutboxRelay } from '@tradelane/messaging';

import { LedgerRepository, OutboxRepository } from '@tradelane/persistence';
import {
  bootTestApp,
  createTestDatabase,
  CustomerEventFactory,
  EventTap,
  resetBroker,
  TestApp,
  TestDatabase,
  testServices,
  waitFor,
} from '@tradelane/testing';
import { execFileSync } from 'node:child_process';
import request from 'supertest';

import { EntityManager } from 'typeorm';

jest.setTimeout(120_000);

const services = testServices();
const TAP_QUEUE = 'test.outbox-tap';
let database: TestDatabase;
let worker: TestApp;

function rabbitmqctl(...args: string[]): void {
  if (!services.rabbitmqctl)
    throw new Error(
      'this test stops and starts the broker: it needs TRADELANE_TEST_RABBITMQCTL (set by scripts/ensure-services.sh)',
    );
  execFileSync(services.rabbitmqctl, args, { stdio: 'ignore', timeout: 60_000 });
}

beforeAll(async () => {
  await resetBroker(services.amqpUrl, services.rabbitmqctl, [TAP_QUEUE]);
  database = await createTestDatabase(services.databaseUrl, 'outbox');
  worker = await bootTestApp({ database: database.config, amqpUrl: services.amqpUrl });
});

afterAll(async () => {
  rabbitmqctl('start_app'); // in case a failed assertion left it stopped
  await worker?.close();
  await database?.drop();
});

it('delivers every event committed during a broker outage exactly once, in commit order per key, and none that rolled back', async () => {
  await (await EventTap.open(services.amqpUrl, EVENTS_EXCHANGE, TAP_QUEUE)).close(); // the subscriber's queue exists
  const customers = worker.app.get(CustomerService);
  const outbox = worker.app.get(OutboxRepository);
  const uow = (tx: EntityManager): UnitOfWork => ({
    tx,
    emit: (envs: Envelope[]) =>
      outbox.enqueue(
        tx,
        envs.map((envelope) => ({ exchange: EVENTS_EXCHANGE, envelope })),
      ),
  });

  const health = () => request(worker.app.getHttpServer()).get('/health');
  expect((await health()).status).toBe(200);
  rabbitmqctl('stop_app');
  try {
    // Health says so while the broker is away.
    const down = await waitFor(
      async () => {
        const res = await health();
        return res.status === 503 ? res : undefined;
      },
      { what: 'health 503' },
    );
    expect(down.body).toMatchObject({
      status: 'error',
      error: { broker: { status: 'down' } },
      info: { database: { status: 'up' } },
    });
    // 5 customers x 8 versions, each version its own committed transaction, interleaved across keys.
    const base = Date.parse('2026-03-01T00:00:00Z');
    for (let version = 0; version < 8; version++) {
      for (let c = 0; c < 5; c++) {
        const event = CustomerEventFactory.create(
          { externalId: `OUT-${c}`, name: `Customer ${c} v${version}` },
          { occurredAt: new Date(base + version * 60_000).toISOString() },
        );
        await worker.db.transaction((tx) => customers.upsertMany(uow(tx), [event]));
      }
    }
    // A change that rolls back must never be published.
    await expect(
      worker.db.transaction(async (tx) => {
        await customers.upsertMany(uow(tx), [CustomerEventFactory.create({ externalId: 'ROLLED-BACK' })]);
        throw new Error('business rule failed after the write');
      }),
    ).rejects.toThrow('business rule failed');
    const [pending] = await database.db.sql<{ n: string }>(
      'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
    );
    expect(Number(pending.n)).toBe(40); // nothing could be published: the broker is down
    await new Promise((r) => setTimeout(r, 1_500)); // the relay keeps failing meanwhile
  } finally {
    rabbitmqctl('start_app');
  }

  await waitFor(async () => (await health()).status === 200, {
    timeoutMs: 60_000,
    what: 'health back to 200',
  });
  const tap = await EventTap.open(services.amqpUrl, EVENTS_EXCHANGE, TAP_QUEUE);
  try {
    await waitFor(async () => tap.received.length >= 40, {
      timeoutMs: 60_000,
      what: '40 events after the broker came back',
    });
    await new Promise((r) => setTimeout(r, 1_000)); // a duplicate would show up now
    const ids = tap.received.map((m) => m.envelope.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);

    const outboxOrder = await database.db.sql<{ message_id: string; key: string }>(
      'SELECT message_id, key FROM outbox ORDER BY id',
    );
    const committedPerKey = new Map<string, string[]>();
    for (const row of outboxOrder)
      committedPerKey.set(row.key, [...(committedPerKey.get(row.key) ?? []), row.message_id]);
    const receivedPerKey = new Map<string, string[]>();
    for (const m of tap.received)
      receivedPerKey.set(m.envelope.key, [...(receivedPerKey.get(m.envelope.key) ?? []), m.envelope.id]);
    expect(receivedPerKey).toEqual(committedPerKey);
    expect(committedPerKey.size).toBe(5);

    const origins = tap.received.map(
      (m) => (m.envelope.payload as { originExternalId: string }).originExternalId,
    );
    expect(origins).not.toContain('ROLLED-BACK');
    expect(tap.received.filter((m) => m.envelope.type === 'crm.customer.created.v1')).toHaveLength(5);
    const [published] = await database.db.sql<{ n: string }>(
      `SELECT count(DISTINCT message_id) AS n FROM message_ledger WHERE direction = 'out' AND status = 'published'`,
    );
    expect(Number(published.n)).toBe(40);
  } finally {
    await tap.close();
  }
});

it('does not publish again an event the broker confirmed while the database was away at mark time', async () => {
  const appRelay = worker.app.get(OutboxRelay);
  await appRelay.stop(); // one relay at a time: this test drives its own
  const tap = await EventTap.open(services.amqpUrl, EVENTS_EXCHANGE, 'test.outbox-lost-mark');
  const outbox = worker.app.get(OutboxRepository);
  // The real database, whose next transaction (the mark-published) fails as a dropped connection does.
  let failNext = true;
  const flaky = new Proxy(worker.db, {
    get(target, prop) {
      if (prop === 'transaction' && failNext)
        return async () => {
          failNext = false;
          throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
        };
      const v = Reflect.get(target, prop, target);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const relay = new OutboxRelay(
    flaky,
    outbox,
    worker.app.get(LedgerRepository),
    worker.bus,
    worker.app.get(MessagingMetrics),
  );
  try {
    const envelope = createEnvelope({
      type: 'crm.customer.updated.v1',
      source: 'crm',
      key: 'LOST-MARK',
      payload: { customerId: 'LOST-MARK' } as never,
    });
    await database.db.transaction((tx) => outbox.enqueue(tx, [{ exchange: EVENTS_EXCHANGE, envelope }]));
    await expect(relay.relayOnce()).rejects.toThrow(/Connection terminated/);
    // Back: the confirmed row is marked first, and nothing is sent again.
    expect(await relay.relayOnce()).toBe(0);
    const [row] = await database.db.sql<{ published: boolean }>(
      `SELECT published_at IS NOT NULL AS published FROM outbox WHERE message_id = $1`,
      [envelope.id],
    );
    expect(row.published).toBe(true);
    await waitFor(async () => tap.received.some((m) => m.envelope.id === envelope.id), {
      what: 'the event delivered',
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(tap.received.filter((m) => m.envelope.id === envelope.id)).toHaveLength(1);
    const ledger = await database.db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM message_ledger WHERE message_id = $1 AND status = 'published'`,
      [envelope.id],
    );
    expect(ledger[0].n).toBe(1);
  } finally {
    await tap.close();
    await relay.stop(); // the app's relay stays stopped: the purge test below calls it directly
  }
});

it('purges published events past retention, never unpublished ones', async () => {
  const row = (id: string, published: string | null, created = 'now()') =>
    database.db.sql(
      `INSERT INTO outbox (message_id, exchange, type, key, envelope, created_at, published_at)
       VALUES ($1, 'test.purge', 'crm.customer.updated.v1', 'PURGE', '{}'::jsonb, ${created}, ${published ?? 'NULL'})`,
      [id],
    );
  const old = '0190a000-0000-7000-8000-000000000001';
  const recent = '0190a000-0000-7000-8000-000000000002';
  const pending = '0190a000-0000-7000-8000-000000000003';
  await row(old, `now() - interval '8 days'`, `now() - interval '8 days'`);
  await row(recent, `now() - interval '1 day'`);
  // Unpublished and old: the relay would publish it (exchange missing → it stays pending, which is the point).
  await row(pending, null, `now() - interval '30 days'`);
  const purged = await worker.app.get(OutboxRelay).purgePublished();
  expect(purged).toBeGreaterThanOrEqual(1);
  const left = await database.db.sql<{ message_id: string }>(
    `SELECT message_id FROM outbox WHERE key = 'PURGE' ORDER BY id`,
  );
  expect(left.map((r) => r.message_id)).toEqual([recent, pending]);
});
