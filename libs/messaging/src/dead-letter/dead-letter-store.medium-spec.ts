/**
 * The dead-letter store of last resort takes anything. Poison that used to wedge the recorder
 * forever (a NUL in a text column, a non-JSON body starting with 0x00, a lone surrogate, the same
 * invalid message twice in one recorder batch) is stored with the others of its batch, the queue
 * ends empty, each one can be redriven, and the valid messages around them keep their ledger rows.
 * Real: PostgreSQL, RabbitMQ, the app (consumers, recorder, ledger). Mocked: nothing.
 */
import { createEnvelope } from '@tradelane/contracts';
import { bootBrokerSuite, BrokerSuite, waitFor } from '@tradelane/testing';
import { OpsService } from '../ops/ops.service';
import { DEAD_LETTER_EXCHANGE, INBOUND_EXCHANGE } from '../topology';

jest.setTimeout(120_000);

let suite: BrokerSuite;

beforeAll(async () => {
  suite = await bootBrokerSuite('dead_letter_store');
});

afterAll(() => suite?.close());

const customer = (key: string, payload: Record<string, unknown> = {}) =>
  createEnvelope({
    type: 'erp.customer.upserted.v1',
    source: 'erp-poison:main',
    key,
    payload: { externalId: key, name: `Customer ${key}`, ...payload } as never,
  });

it('stores every poison message with the rest of its batch, empties the queue, keeps ledgers, and redrives', async () => {
  const nulKey = customer('NUL\u0000KEY', { name: '' }); // invalid (empty name) and a NUL in its key
  const surrogate = customer('LONE\ud800', { name: '' });
  const twice = customer('TWICE', { vatId: 'not a vat id' });
  const valid = Array.from({ length: 40 }, (_, i) => customer(`OK-${i}`));
  const messages: { routingKey: string; body: Buffer | string }[] = [
    { routingKey: 'erp.customer.upserted.v1', body: Buffer.from([0x00, 0x01, 0x02, 0x7b]) }, // not JSON, starts with NUL
    { routingKey: nulKey.type, body: JSON.stringify(nulKey) },
    { routingKey: surrogate.type, body: JSON.stringify(surrogate) },
    { routingKey: twice.type, body: JSON.stringify(twice) },
    { routingKey: twice.type, body: JSON.stringify(twice) }, // the same invalid message again
    ...valid.map((v) => ({ routingKey: v.type, body: JSON.stringify(v) })),
  ];
  // Other ordinary dead letters that land in the same recorder batches.
  const ordinary = Array.from({ length: 10 }, (_, i) => customer(`BAD-${i}`, { name: '' }));
  messages.push(...ordinary.map((o) => ({ routingKey: o.type, body: JSON.stringify(o) })));
  await suite.publisher.publishMany(INBOUND_EXCHANGE, messages);

  const stored = await waitFor(
    async () => {
      const rows = await suite.database.db.sql<{
        message_id: string;
        key: string | null;
        error_code: string;
      }>(`SELECT message_id, key, error_code FROM dead_letter`);
      return rows.length >= 15 ? rows : undefined;
    },
    { timeoutMs: 60_000, what: 'all 15 dead letters stored' },
  );
  // 1 non-JSON + NUL key + lone surrogate + TWICE (two deliveries: two rows) + 10 ordinary.
  expect(stored).toHaveLength(15);
  expect(stored.every((r) => r.error_code === 'INVALID_MESSAGE')).toBe(true);
  expect(stored.find((r) => r.message_id === nulKey.id)?.key).toBe('NUL\ufffdKEY');
  expect(stored.find((r) => r.message_id === surrogate.id)?.key).toBe('LONE\ufffd');
  expect(stored.filter((r) => r.message_id === twice.id)).toHaveLength(2);
  await waitFor(async () => (await suite.dlqDepth()) === 0, { what: 'tradelane.dlq empty' });

  // Every valid message was processed and has its ledger rows.
  const ledger = await suite.database.db.sql<{ n: number }>(
    `SELECT count(DISTINCT message_id)::int AS n FROM message_ledger
      WHERE consumer = 'core' AND status = 'processed' AND message_id = ANY($1)`,
    [valid.map((v) => v.id)],
  );
  expect(ledger[0].n).toBe(40);

  // The bytes are kept exactly, and the NUL-key message can be redriven (it fails again: dead again).
  const [raw] = await suite.database.db.sql<{ body: Buffer }>(
    `SELECT body FROM dead_letter WHERE message_id LIKE 'sha256:%'`,
  );
  expect(Buffer.from(raw.body)).toEqual(Buffer.from([0x00, 0x01, 0x02, 0x7b]));
  const r = await suite.app.get(OpsService).redrive({ messageId: nulKey.id, limit: 1 });
  expect(r).toEqual({ count: 1, messageIds: [nulKey.id] });
  const history = await waitFor(
    async () => {
      const rows = await suite.database.db.sql<{ status: string; redrive_count: number }>(
        `SELECT status, redrive_count FROM dead_letter WHERE message_id = $1 ORDER BY id`,
        [nulKey.id],
      );
      return rows.length === 2 ? rows : undefined;
    },
    { what: 'the redriven poison dead again' },
  );
  // The first row keeps its redrive; the new failure is a row of its own.
  expect(history).toEqual([
    { status: 'redriven', redrive_count: 1 },
    { status: 'dead', redrive_count: 0 },
  ]);
});

it('appends a dead letter per delivery: a reused id keeps the first body, a DLQ redelivery is stored once', async () => {
  const first = customer('REUSED', { name: '' }); // invalid: empty name
  const second = { ...customer('REUSED-OTHER', { vatId: 'no digits' }), id: first.id }; // same id, other body
  await suite.publisher.publish(INBOUND_EXCHANGE, first.type, JSON.stringify(first));
  const rowsOf = (id: string) =>
    suite.database.db.sql<{ id: string; key: string; status: string; error_field: string; body: Buffer }>(
      `SELECT id, key, status, error_field, body FROM dead_letter WHERE message_id = $1 ORDER BY id`,
      [id],
    );
  await waitFor(async () => (await rowsOf(first.id)).length === 1, { what: 'the first dead letter' });
  await suite.publisher.publish(INBOUND_EXCHANGE, second.type, JSON.stringify(second));
  const both = await waitFor(
    async () => ((await rowsOf(first.id)).length === 2 ? rowsOf(first.id) : undefined),
    {
      what: 'the second dead letter beside the first',
    },
  );
  expect(both.map((r) => [r.key, r.status, r.error_field])).toEqual([
    ['REUSED', 'dead', 'payload.name'],
    ['REUSED-OTHER', 'dead', 'payload.vatId'],
  ]);
  expect(JSON.parse(Buffer.from(both[0].body).toString()).key).toBe('REUSED');

  // A redrive sends the newest delivery once and marks both; the bodies stay as they were.
  const r = await suite.app.get(OpsService).redrive({ messageId: first.id, limit: 10 });
  expect(r).toEqual({ count: 1, messageIds: [first.id] });
  const after = await waitFor(
    async () => {
      const rows = await rowsOf(first.id);
      return rows.length === 3 ? rows : undefined;
    },
    { what: 'the redriven newest failing again as a third row' },
  );
  expect(after.map((x) => [x.key, x.status])).toEqual([
    ['REUSED', 'redriven'],
    ['REUSED-OTHER', 'redriven'],
    ['REUSED-OTHER', 'dead'],
  ]);

  // The same dead-lettering delivered twice by the DLQ (a recorder crash before its ack): one row.
  const dup = customer('DLQ-TWICE', { name: '' });
  const headers = {
    'x-tl-consumer': 'core',
    'x-tl-dead-letter-id': 'test-delivery-1',
    'x-tl-error-code': 'INVALID_MESSAGE',
    'x-tl-error-message': 'payload.name should not be empty',
    'x-tl-attempt': 1,
  };
  await suite.publisher.publish(DEAD_LETTER_EXCHANGE, dup.type, JSON.stringify(dup), headers);
  await suite.publisher.publish(DEAD_LETTER_EXCHANGE, dup.type, JSON.stringify(dup), headers);
  await waitFor(async () => (await suite.dlqDepth()) === 0, { what: 'tradelane.dlq empty' });
  await waitFor(async () => (await rowsOf(dup.id)).length === 1, { what: 'the DLQ delivery stored' });
  await new Promise((res) => setTimeout(res, 500));
  expect(await rowsOf(dup.id)).toHaveLength(1);
});

it('dead-letters at once, as INVALID_MESSAGE, a value the contract lets through but PostgreSQL refuses', async () => {
  // Each line is within bounds, the order total (numeric(14,4)) is not: SQLSTATE 22003.
  const overflow = createEnvelope({
    type: 'erp.order.upserted.v1',
    source: 'erp-poison:main',
    key: 'SO-OVERFLOW',
    payload: {
      externalId: 'SO-OVERFLOW',
      customerExternalId: 'OK-1',
      orderedAt: '2026-11-02T10:00:00Z',
      lines: [{ sku: 'X', quantity: 999_999_999, unitPrice: 9_999_999_999 }],
    },
  });
  const started = Date.now();
  await suite.publisher.publishMany(INBOUND_EXCHANGE, [
    { routingKey: overflow.type, body: JSON.stringify(overflow) },
  ]);
  const row = await waitFor(
    async () =>
      (
        await suite.database.db.sql<{ error_code: string; error_message: string; attempts: number }>(
          `SELECT error_code, error_message, attempts FROM dead_letter WHERE message_id = $1`,
          [overflow.id],
        )
      )[0],
    { what: 'the overflow dead-lettered' },
  );
  expect(row.error_code).toBe('INVALID_MESSAGE');
  expect(row.error_message).toMatch(/the database refused a value .*\(SQLSTATE 22003\)/);
  expect(row.attempts).toBe(1); // not retried as if transient
  expect(Date.now() - started).toBeLessThan(15_000);
});

it('lists and redrives the dead letters of one connector instance, alone or with a type', async () => {
  const from = (source: string, key: string) =>
    createEnvelope({
      type: 'erp.customer.upserted.v1',
      source,
      key,
      payload: { externalId: key, name: '' } as never, // invalid: dead-lettered at once
    });
  const a = [from('erp-a:main', 'A-1'), from('erp-a:main', 'A-2')];
  const b = from('erp-b:main', 'B-1');
  await suite.publisher.publishMany(
    INBOUND_EXCHANGE,
    [...a, b].map((m) => ({ routingKey: m.type, body: JSON.stringify(m) })),
  );
  const ops = suite.app.get(OpsService);
  const listed = await waitFor(
    async () => {
      const page = await ops.deadLetterPage({ source: 'erp-a:main', status: 'dead', limit: 50 });
      return page.items.length === 2 ? page : undefined;
    },
    { what: "erp-a's two dead letters" },
  );
  expect(listed.items.map((d) => [d.key, d.source])).toEqual([
    ['A-1', 'erp-a:main'],
    ['A-2', 'erp-a:main'],
  ]);
  const r = await ops.redrive({ source: 'erp-a:main', type: 'erp.customer.upserted.v1', limit: 100 });
  expect(r.messageIds.sort()).toEqual(a.map((m) => m.id).sort());
  const [bRow] = await suite.database.db.sql<{ status: string }>(
    `SELECT status FROM dead_letter WHERE message_id = $1`,
    [b.id],
  );
  expect(bRow.status).toBe('dead'); // the other instance's stays
  await expect(ops.redrive({ messageId: b.id, source: 'erp-b:main', limit: 1 })).rejects.toThrow(
    /give a message id, or any of: type, key, source/,
  );
  await expect(ops.redrive({ limit: 1 })).rejects.toThrow(/give a message id/);
});
