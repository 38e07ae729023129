/**
 * Inbound webhooks: a partner pushes orders to an instance's URL, signed with HMAC-SHA256. A good
 * push is taken (202 after the broker has it) and lands in the CRM; a bad signature is refused and
 * nothing is kept; a signed but malformed push is dead-lettered whole with the reason naming the
 * item and field; a paused instance answers 503 (the partner sends again later).
 * Real: PostgreSQL, RabbitMQ, the app (HTTP with raw bodies, handlers, relay). Mocked: nothing.
 */
import { ConnectorInstanceService } from '@tradelane/connector-host';
import { signWebhook } from '@tradelane/connector-sdk';
import { TestApp, TestDatabase, waitFor } from '@tradelane/testing';
import request from 'supertest';
import { ConnectorApp, startConnectorApp } from './support/connector-app';

jest.setTimeout(120_000);

const SECRET = 'webhook-secret-0123456789';
const URL_ = '/webhooks/example-http:push/orders-webhook';
let ctx: ConnectorApp;
let database: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  ctx = await startConnectorApp('webhook');
  ({ database, app } = ctx);
  await ctx.instances.add({
    connector: 'example-http',
    name: 'push',
    config: { baseUrl: 'http://127.0.0.1:9', apiToken: 'unused-token-1', webhookSecret: SECRET },
  });
});

afterAll(() => ctx?.close());

const order = (number: string, patch: Record<string, unknown> = {}) => ({
  number,
  customer: 'EX000042',
  orderedAt: '2026-03-02T08:15:00Z',
  lines: [{ sku: 'PAL', qty: 2, price: 25 }],
  updatedAt: '2026-03-02T08:16:00Z',
  ...patch,
});
let deliveries = 0;
/** The Standard Webhooks headers a partner sends: a fresh delivery id each time unless given. */
const sign = (body: string, secret = SECRET, o: { id?: string; timestamp?: Date } = {}) =>
  signWebhook(secret, Buffer.from(body), {
    id: o.id ?? `msg_${++deliveries}_${Date.now()}`,
    timestamp: o.timestamp,
  });
const push = (body: string, headers: Record<string, string>) =>
  request(app.app.getHttpServer())
    .post(URL_)
    .set('content-type', 'application/json')
    .set(headers)
    .set('authorization', 'Bearer partner-credential-xyz')
    .set('x-partner-token', 'custom-token-value-77')
    .send(body);

it('takes a signed push into the CRM', async () => {
  const body = JSON.stringify({ items: [order('SO-WH-1'), order('SO-WH-2')] });
  const res = await push(body, sign(body)).expect(202);
  expect(res.body.messageId).toMatch(/^[0-9a-f-]{36}$/);
  await waitFor(
    async () =>
      (
        await database.db.sql(
          `SELECT 1 FROM crm_order WHERE source = 'example-http:push' AND external_id LIKE 'SO-WH-%'`,
        )
      ).length === 2,
    { what: 'the pushed orders' },
  );
});

it('refuses a bad signature and keeps nothing', async () => {
  const body = JSON.stringify({ items: [order('SO-FORGED')] });
  const res = await push(body, sign(body, 'some-other-secret-000')).expect(401);
  expect(res.body.message).toBe('push refused: the signature does not match');
  const good = sign(body);
  const digest = good['webhook-signature'].slice(3);
  for (const signature of [
    'v1,zz',
    `v1,${digest}junk`, // junk after a valid digest
    `V1,${digest}`, // one exact form only
    `sha256=${Buffer.from(digest, 'base64').toString('hex')}`, // the old body-only form
    `sha256=${Buffer.from(digest, 'base64').toString('hex').toUpperCase()}`,
  ])
    await push(body, { ...good, 'webhook-signature': signature }).expect(401);
  expect((await push(body, {}).expect(401)).body.message).toMatch(
    /missing webhook-id, webhook-timestamp, webhook-signature/,
  );
  expect(await database.db.sql(`SELECT 1 FROM message_ledger WHERE key LIKE '%SO-FORGED%'`)).toEqual([]);
});

it('refuses a replayed push and a stale one, so a captured push cannot roll an order back', async () => {
  const body = JSON.stringify({ items: [order('SO-REPLAY', { updatedAt: '2026-03-02T09:00:00Z' })] });
  const headers = sign(body);
  await push(body, headers).expect(202);
  const again = await push(body, headers).expect(401);
  expect(again.body.message).toMatch(/webhook-id msg_\d+_\d+ was already taken \(replayed\)/);
  const old = await push(body, sign(body, SECRET, { timestamp: new Date(Date.now() - 10 * 60_000) })).expect(
    401,
  );
  expect(old.body.message).toMatch(/webhook-timestamp is more than 300 s from now \(stale or replayed\)/);
  const ahead = await push(
    body,
    sign(body, SECRET, { timestamp: new Date(Date.now() + 10 * 60_000) }),
  ).expect(401);
  expect(ahead.body.message).toMatch(/stale or replayed/);
});

it('stores only allow-listed headers with a push (no signature, credential or token) and the signed time', async () => {
  const body = JSON.stringify({ items: [order('SO-HEADERS')] });
  const at = new Date(Date.now() - 30_000);
  const { messageId } = (await push(body, sign(body, SECRET, { timestamp: at })).expect(202)).body;
  const [row] = await database.db.sql<{ envelope: { payload: { headers: Record<string, string> } } }>(
    `SELECT envelope FROM outbox WHERE message_id = $1`,
    [messageId],
  );
  const headers = row.envelope.payload.headers;
  expect(Object.keys(headers).sort()).toEqual(
    ['content-type', 'webhook-id', 'webhook-timestamp', 'x-received-at', 'user-agent']
      .filter((h) => h in headers)
      .sort(),
  );
  expect(JSON.stringify(row)).not.toMatch(/partner-credential-xyz|custom-token-value-77|v1,/);
  // Event time comes from the signed timestamp, never from when Tradelane happened to receive it.
  expect(headers['x-received-at']).toBe(new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString());
});

it('dead-letters a signed but malformed push whole, naming the item and field', async () => {
  const body = JSON.stringify({ items: [order('SO-WH-3'), order('SO-WH-4', { updatedAt: 'yesterday' })] });
  const { messageId } = (await push(body, sign(body)).expect(202)).body;
  const dead = await waitFor(
    async () =>
      (
        await database.db.sql<{
          error_code: string;
          error_field: string;
          error_message: string;
          body: Buffer;
        }>(`SELECT error_code, error_field, error_message, body FROM dead_letter WHERE message_id = $1`, [
          messageId,
        ])
      )[0],
    { what: 'the dead letter' },
  );
  expect(dead).toMatchObject({ error_code: 'CONNECTOR_PERMANENT', error_field: 'items[1].updatedAt' });
  expect(dead.error_message).toContain('items[1].updatedAt is not a date: "yesterday"');
  const kept = JSON.parse(Buffer.from(dead.body).toString('utf8'));
  expect(Buffer.from(kept.payload.bodyBase64, 'base64').toString('utf8')).toBe(body);
  expect(JSON.stringify(kept)).not.toContain('partner-credential-xyz');
  // Nothing of it was applied (SO-WH-3 was valid, but the push is one unit).
  expect(await database.db.sql(`SELECT 1 FROM crm_order WHERE external_id = 'SO-WH-3'`)).toEqual([]);
});

it('answers 404 for an unknown channel or instance and 503 while paused', async () => {
  const body = JSON.stringify({ items: [order('SO-WH-5')] });
  await request(app.app.getHttpServer()).post('/webhooks/example-http:push/nope').send(body).expect(404);
  await request(app.app.getHttpServer())
    .post('/webhooks/example-http:missing/orders-webhook')
    .send(body)
    .expect(404);
  await app.app.get(ConnectorInstanceService).setState('example-http:push', 'paused');
  await push(body, sign(body)).expect(503);
  await app.app.get(ConnectorInstanceService).setState('example-http:push', 'running');
  await push(body, sign(body)).expect(202);
});

it('takes a JSON push of several megabytes (the limit is 10 MB, not 100 kB) and refuses a larger one', async () => {
  const items = Array.from({ length: 4_000 }, (_, i) => order(`SO-BIG-${i}`, { note: 'x'.repeat(500) }));
  const body = JSON.stringify({ items });
  expect(body.length).toBeGreaterThan(2_000_000);
  await push(body, sign(body)).expect(202);
  const huge = JSON.stringify({ items: [order('SO-HUGE', { note: 'x'.repeat(11 * 1024 * 1024) })] });
  await push(huge, sign(huge)).expect(413);
});
