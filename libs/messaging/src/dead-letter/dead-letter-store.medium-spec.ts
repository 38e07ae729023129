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
import { INBOUND_EXCHANGE } from '../topology';

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
      return rows.length >= 14 ? rows : undefined;
    },
    { timeoutMs: 60_000, what: 'all 14 dead letters stored' },
  );
  // 1 non-JSON + NUL key + lone surrogate + TWICE once + 10 ordinary.
  expect(stored).toHaveLength(14);
  expect(stored.every((r) => r.error_code === 'INVALID_MESSAGE')).toBe(true);
  expect(stored.find((r) => r.message_id === nulKey.id)?.key).toBe('NUL\ufffdKEY');
  expect(stored.find((r) => r.message_id === surrogate.id)?.key).toBe('LONE\ufffd');
  expect(stored.filter((r) => r.message_id === twice.id)).toHaveLength(1);
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
  await waitFor(
    async () =>
      (
        await suite.database.db.sql<{ status: string; redrive_count: number }>(
          `SELECT status, redrive_count FROM dead_letter WHERE message_id = $1`,
          [nulKey.id],
        )
      )[0]?.status === 'dead',
    { what: 'the redriven poison dead again' },
  );
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
