/**
 * Inbound webhooks: a partner pushes orders to an instance's URL, signed with HMAC-SHA256. A good
 * push is taken (202 after the broker has it) and lands in the CRM; a bad signature is refused and
 * nothing is kept; a signed but malformed push is dead-lettered whole with the reason naming the
 * item and field; a paused instance answers 503 (the partner sends again later).
 * Real: PostgreSQL, RabbitMQ, the app (HTTP with raw bodies, handlers, relay). Mocked: nothing.
 */
import { ConnectorInstanceService } from '@tradelane/crm-core';
import { TestApp, TestDatabase, waitFor } from '@tradelane/testing';
import { createHmac } from 'node:crypto';
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
const sign = (body: string, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const push = (body: string, signature: string) =>
  request(app.app.getHttpServer())
    .post(URL_)
    .set('content-type', 'application/json')
    .set('x-example-signature', signature)
    .set('authorization', 'Bearer partner-credential-xyz')
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
  expect(res.body.message).toBe('the signature does not match the body');
  await push(body, 'sha256=zz').expect(401);
  await push(body, '').expect(401);
  expect(await database.db.sql(`SELECT 1 FROM message_ledger WHERE key LIKE '%SO-FORGED%'`)).toEqual([]);
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
