/**
 * The message pipeline against real PostgreSQL and RabbitMQ.
 * Real: PostgreSQL, RabbitMQ, Nest app (handlers, transport, inbox, ledger, outbox, dead-letter recorder).
 * Mocked: nothing. The probe handler is a test-only contract that fails on command.
 */
import { INBOUND_EXCHANGE, queueName } from '@tradelane/messaging';
import {
  bootTestApp,
  createTestDatabase,
  CustomerEventFactory,
  ensureBuilt,
  PROBE_CONTRACT,
  PROBE_TABLE_SQL,
  probeBehaviour,
  probeEnvelope,
  ProbeHandler,
  RawPublisher,
  REPO_ROOT,
  resetBroker,
  TestApp,
  TestDatabase,
  testServices,
  waitFor,
} from '@tradelane/testing';
import amqp from 'amqplib';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { OpsService } from './ops/ops.service';

jest.setTimeout(60_000);

const services = testServices();
let database: TestDatabase;
let worker: TestApp;
let publisher: RawPublisher;

async function ledgerOf(messageId: string) {
  return database.db.sql<{
    status: string;
    attempt: number;
    error_code: string | null;
    error_field: string | null;
    at: Date;
  }>(
    'SELECT status, attempt, error_code, error_field, at FROM message_ledger WHERE message_id = $1 ORDER BY seq',
    [messageId],
  );
}

async function deadLetter(messageId: string) {
  const [row] = await database.db.sql<{
    error_code: string;
    error_message: string;
    error_field: string | null;
    attempts: number;
    status: string;
  }>(
    'SELECT error_code, error_message, error_field, attempts, status FROM dead_letter WHERE message_id = $1',
    [messageId],
  );
  return row;
}

async function probeEffects(probeId: string): Promise<number> {
  const [row] = await database.db.sql<{ n: string }>(
    'SELECT count(*) AS n FROM test_probe WHERE probe_id = $1',
    [probeId],
  );
  return Number(row.n);
}

async function boot(batchSize = 50): Promise<TestApp> {
  return bootTestApp({
    database: database.config,
    amqpUrl: services.amqpUrl,
    messaging: { batch: { batchSize, maxWaitMs: 10, lanes: 2 }, retry: { delaysMs: [200, 400] } },
    controllers: [ProbeHandler],
    contracts: [PROBE_CONTRACT],
  });
}

beforeAll(async () => {
  ensureBuilt();

  await resetBroker(services.amqpUrl, services.rabbitmqctl);
  database = await createTestDatabase(services.databaseUrl, 'pipeline');
  await database.db.sql(PROBE_TABLE_SQL);
  worker = await boot();
  publisher = await RawPublisher.open(services.amqpUrl);
});

afterAll(async () => {
  await publisher?.close();
  await worker?.close();
  await database?.drop();
});

beforeEach(() => probeBehaviour.reset());

describe('a message published to tradelane.inbound', () => {
  it('is handled, committed, then acked, and the ledger shows it', async () => {
    const event = CustomerEventFactory.create({ name: 'Acme Logistics GmbH', vatId: 'DE811907980' });
    await publisher.publishEnvelope(INBOUND_EXCHANGE, event);

    const [customer] = await waitFor(
      async () => {
        const rows = await database.db.sql<{ name: string; vat_id: string; revision: number }>(
          `SELECT data->>'name' AS name, data->>'vatId' AS vat_id, revision FROM crm_customer_record WHERE external_id = $1`,
          [event.payload.externalId],
        );
        return rows.length ? rows : undefined;
      },
      { what: 'the customer row' },
    );
    expect(customer).toEqual({ name: 'Acme Logistics GmbH', vat_id: 'DE811907980', revision: 1 });
    const ledger = await ledgerOf(event.id);
    expect(ledger.map((l) => [l.status, l.attempt])).toEqual([
      ['received', 1],
      ['processed', 1],
    ]);
    const [outbox] = await database.db.sql<{ type: string }>(
      `SELECT type FROM outbox WHERE envelope->>'causationId' = $1`,
      [event.id],
    );
    expect(outbox.type).toBe('crm.customer.created.v1');

    // Acked: once the consumer has stopped, nothing is left on (or returned to) its queue.
    await worker.close();
    const conn = await amqp.connect(services.amqpUrl);
    const ch = await conn.createChannel();
    const q = await ch.checkQueue(queueName('core'));
    await conn.close();
    expect(q.messageCount).toBe(0);
    worker = await boot();
  });
});

describe('the same message id delivered more than once', () => {
  it('has exactly one effect when delivered twice', async () => {
    const event = probeEnvelope('twice');
    await publisher.publishEnvelope(INBOUND_EXCHANGE, event as never);
    await waitFor(async () => (await probeEffects('twice')) === 1, { what: 'first effect' });
    await publisher.publishEnvelope(INBOUND_EXCHANGE, event as never);
    const marker = probeEnvelope('after-twice');
    await publisher.publishEnvelope(INBOUND_EXCHANGE, marker as never);
    await waitFor(async () => (await probeEffects('after-twice')) === 1, { what: 'marker' });
    expect(await probeEffects('twice')).toBe(1);
    expect((await ledgerOf(event.id)).filter((l) => l.status === 'processed')).toHaveLength(1);
  });

  it('has exactly one effect when delivered 100 times concurrently to competing consumers', async () => {
    // Two workers with tiny batches: the copies land in many concurrent transactions.
    const second = await boot(3);
    try {
      const event = probeEnvelope('hundred');
      const body = JSON.stringify(event);
      await Promise.all(
        Array.from({ length: 100 }, () =>
          publisher.publishMany(INBOUND_EXCHANGE, [{ routingKey: event.type, body }]),
        ),
      );
      const marker = probeEnvelope('after-hundred');
      await publisher.publishEnvelope(INBOUND_EXCHANGE, marker as never);
      await waitFor(async () => (await probeEffects('after-hundred')) === 1, { what: 'marker' });
      await waitFor(
        async () => {
          const conn = await amqp.connect(services.amqpUrl);
          const ch = await conn.createChannel();
          const q = await ch.checkQueue(queueName('core'));
          await conn.close();
          return q.messageCount === 0;
        },
        { what: 'queue drained' },
      );
      expect(await probeEffects('hundred')).toBe(1);
      const [inbox] = await database.db.sql<{ n: string }>(
        'SELECT count(*) AS n FROM inbox WHERE message_id = $1',
        [event.id],
      );
      expect(Number(inbox.n)).toBe(1);
      expect((await ledgerOf(event.id)).filter((l) => l.status === 'processed')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe('failures', () => {
  it('retries a transient failure with growing delays, then succeeds', async () => {
    probeBehaviour.transientFailures.set('flaky', 2);
    const event = probeEnvelope('flaky');
    await publisher.publishEnvelope(INBOUND_EXCHANGE, event as never);
    await waitFor(async () => (await probeEffects('flaky')) === 1, { what: 'eventual success' });
    const ledger = await ledgerOf(event.id);
    expect(ledger.map((l) => [l.status, l.attempt, l.error_code])).toEqual([
      ['received', 1, null],
      ['retrying', 1, 'PROBE_BUSY'],
      ['retrying', 2, 'PROBE_BUSY'],
      ['processed', 3, null],
    ]);
    // Backoff: about 200 ms before attempt 2 and 400 ms before attempt 3.
    const gap1 = ledger[2].at.getTime() - ledger[1].at.getTime();
    const gap2 = ledger[3].at.getTime() - ledger[2].at.getTime();
    expect(gap1).toBeGreaterThanOrEqual(150);
    expect(gap2).toBeGreaterThanOrEqual(350);
    const [effect] = await database.db.sql<{ attempt: number }>(
      'SELECT attempt FROM test_probe WHERE probe_id = $1',
      ['flaky'],
    );
    expect(effect.attempt).toBe(3);
  });

  it('dead-letters a message still failing after its last attempt, with code, message and attempts', async () => {
    probeBehaviour.transientFailures.set('exhausted', 99);
    const event = probeEnvelope('exhausted');
    await publisher.publishEnvelope(INBOUND_EXCHANGE, event as never);
    const dead = await waitFor(() => deadLetter(event.id), { what: 'dead letter' });
    expect(dead).toEqual({
      error_code: 'PROBE_BUSY',
      error_message: 'probe exhausted busy',
      error_field: null,
      attempts: 3,
      status: 'dead',
    });
    expect((await ledgerOf(event.id)).map((l) => l.status)).toEqual([
      'received',
      'retrying',
      'retrying',
      'dead-lettered',
    ]);
    expect(await probeEffects('exhausted')).toBe(0);
  });

  it('dead-letters a permanent failure at once; redrive after the fix processes it exactly once', async () => {
    probeBehaviour.permanent.add('refused');
    const event = probeEnvelope('refused');
    await publisher.publishEnvelope(INBOUND_EXCHANGE, event as never);
    const dead = await waitFor(() => deadLetter(event.id), { what: 'dead letter' });
    expect(dead).toMatchObject({ error_code: 'PROBE_REFUSED', attempts: 1, error_field: 'payload.probeId' });

    probeBehaviour.permanent.delete('refused'); // the cause is fixed
    // The operator's command, as a separate process against the same database and broker.
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist/apps/cli/src/main.js'), ...args], {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, AMQP_URL: services.amqpUrl },
        encoding: 'utf8',
      });
    expect(cli('dlq', 'list')).toContain(event.id);
    expect(cli('dlq', 'redrive', '--id', event.id)).toBe(`redriven: 1 (${event.id})\n`);
    await waitFor(async () => (await probeEffects('refused')) === 1, { what: 'redriven effect' });

    // A second redrive finds nothing left to redrive; the effect stays single.
    expect(cli('dlq', 'redrive', '--id', event.id)).toBe('redriven: 0\n');
    expect(cli('ledger', 'show', event.id, '--id', '--json')).toContain('"status": "processed"');
    expect(await probeEffects('refused')).toBe(1);
    expect((await deadLetter(event.id)).status).toBe('redriven');
    const ledger = await ledgerOf(event.id);
    expect(ledger.map((l) => [l.status, l.attempt])).toEqual([
      ['received', 1],
      ['dead-lettered', 1],

      ['redriven', 1],
      ['processed', 1],
    ]);
  });

  it('redrives by type and by business key', async () => {
    for (const id of ['by-key-1', 'by-key-2']) probeBehaviour.permanent.add(id);
    const a = probeEnvelope('by-key-1');
    const b = probeEnvelope('by-key-2');
    await publisher.publishEnvelope(INBOUND_EXCHANGE, a as never);
    await publisher.publishEnvelope(INBOUND_EXCHANGE, b as never);
    await waitFor(async () => (await deadLetter(a.id)) && (await deadLetter(b.id)), {
      what: 'two dead letters',
    });
    probeBehaviour.reset();
    const ops = worker.app.get(OpsService);
    expect(await ops.redrive({ key: 'by-key-1', limit: 10 })).toEqual({ count: 1, messageIds: [a.id] });
    await waitFor(async () => (await probeEffects('by-key-1')) === 1, { what: 'by key' });
    expect(await probeEffects('by-key-2')).toBe(0);
    const byType = await ops.redrive({ type: 'test.probe.recorded.v1', limit: 10 });
    expect(byType.messageIds).toContain(b.id);
    await waitFor(async () => (await probeEffects('by-key-2')) === 1, { what: 'by type' });
  });
});

describe('invalid input', () => {
  it('dead-letters malformed JSON, an unknown type and an invalid payload as INVALID_MESSAGE naming the field, and keeps going', async () => {
    const malformed = '{"id": "oops", "type": "erp.customer.upserted.v1", ';
    await publisher.publish(INBOUND_EXCHANGE, 'erp.customer.upserted.v1', malformed);
    const unknown = { ...CustomerEventFactory.create(), type: 'erp.teapot.brewed.v1' };
    await publisher.publish(INBOUND_EXCHANGE, unknown.type, JSON.stringify(unknown));
    const invalid = CustomerEventFactory.create({ vatId: 'not a vat id' });
    await publisher.publishEnvelope(INBOUND_EXCHANGE, invalid);
    const missing = CustomerEventFactory.create();
    delete (missing.payload as Partial<typeof missing.payload>).name;
    await publisher.publishEnvelope(INBOUND_EXCHANGE, missing);
    const good = CustomerEventFactory.create({ name: 'Still Flowing Ltd' });
    await publisher.publishEnvelope(INBOUND_EXCHANGE, good);

    await waitFor(
      async () =>
        (
          await database.db.sql('SELECT 1 FROM crm_customer_record WHERE external_id = $1', [
            good.payload.externalId,
          ])
        ).length === 1,
      { what: 'the valid message after the bad ones' },
    );
    const rows = await waitFor(
      async () => {
        const r = await database.db.sql<{
          message_id: string;
          error_code: string;
          error_field: string | null;
          error_message: string;
          body: Buffer;
        }>(
          `SELECT message_id, error_code, error_field, error_message, body FROM dead_letter WHERE error_code = 'INVALID_MESSAGE' ORDER BY id`,
        );
        return r.length >= 4 ? r : undefined;
      },
      { what: 'four dead letters' },
    );
    const byBody = (needle: string) => rows.find((r) => r.body.toString('utf8').includes(needle));
    const m = byBody('"oops"');
    expect(m?.error_message).toMatch(/not valid JSON/);
    expect(m?.message_id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(m?.body.toString('utf8')).toBe(malformed); // kept byte for byte
    expect(rows.find((r) => r.message_id === unknown.id)).toMatchObject({ error_field: 'type' });
    expect(rows.find((r) => r.message_id === unknown.id)?.error_message).toMatch(
      /unknown message type "erp.teapot.brewed.v1"/,
    );
    expect(rows.find((r) => r.message_id === invalid.id)).toMatchObject({ error_field: 'payload.vatId' });
    expect(rows.find((r) => r.message_id === missing.id)).toMatchObject({ error_field: 'payload.name' });
  });
});
