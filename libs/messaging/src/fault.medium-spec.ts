/**
 * The fault suite: poison of every kind the abuse test used, mixed into 10,000 valid messages.
 * Every valid message is processed with its ledger rows; every poison message is in the
 * dead-letter store with a precise reason (code and field); tradelane.dlq ends empty.
 * Real: PostgreSQL, RabbitMQ, the app (consumers, recorder, ledger). Mocked: nothing.
 */
import { createEnvelope } from '@tradelane/contracts';
import { bootBrokerSuite, BrokerSuite, waitFor } from '@tradelane/testing';
import { INBOUND_EXCHANGE } from './topology';

jest.setTimeout(300_000);

const VALID = 10_000;
let suite: BrokerSuite;

beforeAll(async () => {
  suite = await bootBrokerSuite('fault_suite');
});

afterAll(() => suite?.close());

const customer = (
  key: string,
  payload: Record<string, unknown> = {},
  over: Record<string, unknown> = {},
) => ({
  ...createEnvelope({
    type: 'erp.customer.upserted.v1',
    source: 'erp-fault:main',
    key,
    payload: { externalId: key, name: `Customer ${key}`, ...payload } as never,
  }),
  ...over,
});
const order = (key: string, payload: Record<string, unknown>) =>
  createEnvelope({
    type: 'erp.order.upserted.v1',
    source: 'erp-fault:main',
    key,
    payload: {
      externalId: key,
      customerExternalId: 'C-0',
      orderedAt: '2026-11-02T10:00:00Z',
      ...payload,
    } as never,
  });

it('processes 10,000 valid messages among poison of every kind, and stores each poison message with its reason', async () => {
  let deep: unknown = [];
  for (let i = 0; i < 200; i++) deep = [deep];
  const dup = customer('P-DUP', { name: '' });
  // [what, body, expected code, expected field (regex)]
  const poison: [string, Buffer | string, string, RegExp | null][] = [
    ['not JSON, starts with NUL', Buffer.from([0, 1, 2]), 'INVALID_MESSAGE', null],
    ['truncated JSON', '{"id": "x", "type": ', 'INVALID_MESSAGE', null],
    ['a JSON array', '[1,2,3]', 'INVALID_MESSAGE', null],
    [
      'Latin-1 byte',
      Buffer.concat([
        Buffer.from(JSON.stringify(customer('P-LAT')).slice(0, -2)),
        Buffer.from([0xe9, 0x22, 0x7d]),
      ]),
      'INVALID_MESSAGE',
      null,
    ],
    [
      'unknown type',
      JSON.stringify({ ...customer('P-TYPE'), type: 'erp.teapot.brewed.v1' }),
      'INVALID_MESSAGE',
      /^type$/,
    ],
    [
      'missing name',
      JSON.stringify(customer('P-NONAME', { name: undefined })),
      'INVALID_MESSAGE',
      /payload\.name/,
    ],
    ['NUL in the key', JSON.stringify(customer('P\u0000NUL')), 'INVALID_MESSAGE', /^key$/],
    [
      'lone surrogate in a field',
      JSON.stringify(customer('P-SUR', { name: 'Bad \ud800 name' })),
      'INVALID_MESSAGE',
      /payload\.name/,
    ],
    ['the same invalid message twice (1)', JSON.stringify(dup), 'INVALID_MESSAGE', /payload\.name/],
    ['the same invalid message twice (2)', JSON.stringify(dup), 'INVALID_MESSAGE', /payload\.name/],
    [
      'week date',
      JSON.stringify(order('P-WEEK', { orderedAt: '2026-W45-1' })),
      'INVALID_MESSAGE',
      /payload\.orderedAt/,
    ],
    [
      'year 0000',
      JSON.stringify(order('P-Y0', { orderedAt: '0000-01-01T00:00:00Z' })),
      'INVALID_MESSAGE',
      /payload\.orderedAt/,
    ],
    [
      'freight 1e10',
      JSON.stringify(order('P-FRT', { freight: 1e10 })),
      'INVALID_MESSAGE',
      /payload\.freight/,
    ],
    [
      'unit price 1e300',
      JSON.stringify(order('P-UP', { lines: [{ sku: 'A', quantity: 1, unitPrice: 1e300 }] })),
      'INVALID_MESSAGE',
      /payload\.lines\.0\.unitPrice/,
    ],
    [
      '1e400',
      JSON.stringify(order('P-INF', { freight: 1 })).replace('"freight":1', '"freight":1e400'),
      'INVALID_MESSAGE',
      /payload\.freight/,
    ],
    [
      'lines nested 200 deep',
      JSON.stringify(order('P-DEEP', { lines: deep })),
      'INVALID_MESSAGE',
      /payload\.lines/,
    ],
    [
      'total overflows numeric(14,4)',
      JSON.stringify(
        order('P-OVF', { lines: [{ sku: 'A', quantity: 999_999_999, unitPrice: 9_999_999_999 }] }),
      ),
      'INVALID_MESSAGE',
      null,
    ],
    [
      'event time 9999',
      JSON.stringify(customer('P-FUT', {}, { occurredAt: '9999-01-01T00:00:00Z' })),
      'INVALID_MESSAGE',
      /^occurredAt$/,
    ],
  ];
  const valid = Array.from({ length: VALID }, (_, i) => customer(`C-${i}`));
  const messages: { routingKey: string; body: Buffer | string }[] = valid.map((v) => ({
    routingKey: v.type,
    body: JSON.stringify(v),
  }));
  // Spread the poison through the stream so it lands in many different batches.
  poison.forEach(([, body], i) =>
    messages.splice(Math.floor(((i + 1) * messages.length) / (poison.length + 1)), 0, {
      routingKey: 'erp.customer.upserted.v1',
      body,
    }),
  );
  await suite.publisher.publishMany(INBOUND_EXCHANGE, messages);

  await waitFor(
    async () =>
      (
        await suite.database.db.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM crm_customer_record WHERE source = 'erp-fault:main'`,
        )
      )[0].n === VALID,
    { timeoutMs: 240_000, intervalMs: 500, what: `${VALID} customers` },
  );
  const dead = await waitFor(
    async () => {
      const rows = await suite.database.db.sql<{
        message_id: string;
        key: string | null;
        error_code: string;
        error_field: string | null;
        error_message: string;
      }>(`SELECT message_id, key, error_code, error_field, error_message FROM dead_letter`);
      // Every poison message, the duplicate too: one dead letter per delivery (never overwritten).
      return rows.length >= poison.length ? rows : undefined;
    },
    { timeoutMs: 60_000, what: 'every poison message in the dead-letter store' },
  );
  expect(dead).toHaveLength(poison.length);
  for (const [what, body, code, field] of poison) {
    let id: string | undefined;
    try {
      id = (JSON.parse(Buffer.isBuffer(body) ? body.toString('latin1') : body) as { id?: string }).id;
    } catch {
      id = undefined;
    }
    if (!id || !field) continue; // non-JSON ones are keyed by the hash of their bytes
    const row = dead.find((d) => d.message_id === id);
    expect({ what, code: row?.error_code, field: row?.error_field }).toMatchObject({ what, code });
    expect({ what, field: row?.error_field ?? '' }).toMatchObject({
      what,
      field: expect.stringMatching(field),
    });
  }
  expect(dead.every((d) => d.error_code === 'INVALID_MESSAGE' && d.error_message.length > 10)).toBe(true);

  const ledger = await suite.database.db.sql<{ n: number }>(
    `SELECT count(DISTINCT message_id)::int AS n FROM message_ledger WHERE consumer = 'core' AND status = 'processed'
      AND message_id = ANY($1)`,
    [valid.map((v) => v.id)],
  );
  expect(ledger[0].n).toBe(VALID);
  await waitFor(async () => (await suite.dlqDepth()) === 0, { what: 'tradelane.dlq empty' });
});
