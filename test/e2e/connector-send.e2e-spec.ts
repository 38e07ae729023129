/**
 * Outbound `send`: customers pulled from one instance become CRM events that are sent to another
 * send-capable instance, never back to the one they came from (no echo); a paused instance's
 * events wait for it and arrive when it resumes.
 * Real: PostgreSQL, RabbitMQ, the app (pull job, handlers, relay, sender), two HTTP systems. Mocked: nothing.
 */
import { ConnectorInstanceService } from '@tradelane/connector-host';
import { PrivacyService } from '@tradelane/crm-core';
import { ExampleSource } from '@tradelane/example-http/testing';
import { sleep, TestApp, waitFor } from '@tradelane/testing';
import { ConnectorApp, startConnectorApp } from './support/connector-app';

jest.setTimeout(120_000);

const TOKEN = 'send-token-55aa';
let app: TestApp;
const shop = new ExampleSource(TOKEN);
const erp = new ExampleSource(TOKEN);

let ctx: ConnectorApp;

beforeAll(async () => {
  shop.seed(5, 0, Date.now() - 60_000);
  const shopUrl = await shop.start();
  const erpUrl = await erp.start();
  ctx = await startConnectorApp('send');
  ({ app } = ctx);
  const svc = ctx.instances;
  await svc.add({
    connector: 'example-http',
    name: 'erp',
    config: { baseUrl: erpUrl, apiToken: TOKEN },
    pollSeconds: 1,
  });
  await svc.add({
    connector: 'example-http',
    name: 'shop',
    config: { baseUrl: shopUrl, apiToken: TOKEN },
    pollSeconds: 1,
  });
});

afterAll(async () => {
  await ctx?.close();
  await shop.stop();
  await erp.stop();
});

it('sends CRM events to other instances, never back to their origin', async () => {
  await waitFor(async () => erp.received.length === 5, {
    timeoutMs: 60_000,
    what: '5 customer events at the ERP',
  });
  expect(erp.received.map((e) => e.type)).toEqual(Array(5).fill('crm.customer.created.v1'));
  expect(erp.received.map((e) => e.payload.originExternalId).sort()).toEqual(
    shop.records('customers').map((r) => r.id),
  );
  expect(erp.received.every((e) => e.payload.originSource === 'example-http:shop')).toBe(true);
  await sleep(1_500);
  expect(shop.received).toEqual([]); // no echo to the system the change came from
});

it('keeps what a paused instance is owed and delivers it when it resumes', async () => {
  const svc = app.app.get(ConnectorInstanceService);
  await svc.setState('example-http:erp', 'paused');
  await sleep(1_200);
  const at = () => new Date().toISOString();
  shop.upsert('customers', { id: 'EX000001', name: 'Renamed once', updatedAt: at() });
  await sleep(20);
  shop.upsert('customers', { id: 'EX000002', name: 'Renamed too', updatedAt: at() });
  await waitFor(async () => (await svc.status('example-http:erp')).deliveries.pending === 2, {
    what: '2 pending',
  });
  expect(erp.received).toHaveLength(5);
  await svc.setState('example-http:erp', 'running');
  await waitFor(async () => erp.received.length === 7, { what: 'the owed events' });
  // Per customer, events keep their order; two customers' events may arrive either way round.
  expect(
    erp.received
      .slice(5)
      .map((e) => [e.type, e.payload.originExternalId])
      .sort(),
  ).toEqual([
    ['crm.customer.updated.v1', 'EX000001'],
    ['crm.customer.updated.v1', 'EX000002'],
  ]);
  expect((await svc.status('example-http:erp')).deliveries).toEqual({ pending: 0, failed: 0, conflict: 0 });
});

it('holds the queue on a retryable send failure and sends in order once the system is back', async () => {
  const svc = app.app.get(ConnectorInstanceService);
  const before = erp.received.length;
  erp.failWith = 503;
  const at = () => new Date().toISOString();
  shop.upsert('customers', { id: 'EX000003', name: 'Renamed during an outage', updatedAt: at() });
  await sleep(20);
  shop.upsert('customers', { id: 'EX000004', name: 'Renamed during it too', updatedAt: at() });
  await waitFor(async () => (await svc.status('example-http:erp')).deliveries.pending === 2, {
    what: '2 owed',
  });
  // Tried and failed at least twice, still pending (not failed): 503 is retryable; the reason is kept.
  const held = await waitFor(
    async () => {
      const [row] = await ctx.database.db.sql<{ attempts: number; state: string; last_error: string }>(
        `SELECT attempts, state, last_error FROM connector_delivery WHERE instance_id = 'example-http:erp'
          AND state <> 'sent' ORDER BY seq LIMIT 1`,
      );
      return row && row.attempts >= 2 ? row : undefined;
    },
    { what: 'two failed attempts' },
  );
  expect(held).toMatchObject({ state: 'pending', last_error: expect.stringMatching(/^retryable: .*503/) });
  expect((await svc.status('example-http:erp')).deliveries).toMatchObject({ pending: 2, failed: 0 });
  expect(erp.received.length).toBe(before); // the second waits behind the first
  erp.failWith = null;
  await waitFor(async () => erp.received.length === before + 2, {
    timeoutMs: 60_000,
    what: 'both after recovery',
  });
  // In the order they were owed (arrival order of the deliveries).
  const owed = await ctx.database.db.sql<{ message_id: string }>(
    `SELECT message_id FROM connector_delivery WHERE instance_id = 'example-http:erp' ORDER BY seq DESC LIMIT 2`,
  );
  expect(erp.received.slice(before).map((e) => e.id)).toEqual(owed.map((r) => r.message_id).reverse());
  expect((await svc.status('example-http:erp')).deliveries).toEqual({ pending: 0, failed: 0, conflict: 0 });
});

it('tells only the instance whose records held an erased person (crm.person.erased.v1)', async () => {
  shop.upsert('customers', {
    id: 'EX-PERSON',
    name: 'Maria Anders (sole trader)',
    email: 'Maria.Anders@anders.example',
    updatedAt: new Date().toISOString(),
  });
  const erpBefore = erp.received.length;
  await waitFor(async () => erp.received.length === erpBefore + 1, { what: 'the new customer at the ERP' });
  const privacy = app.app.get(PrivacyService);
  const exported = await privacy.export('default', 'maria.anders@anders.example');
  expect(exported.holdings['customer contacts']).toContainEqual(
    expect.objectContaining({ kind: 'record e-mail', source: 'example-http:shop', externalId: 'EX-PERSON' }),
  );
  const erasure = await privacy.erase('default', 'MARIA.ANDERS@anders.example', 'test request');
  expect(erasure.notified).toEqual(['example-http:shop']);
  const told = await waitFor(async () => shop.received.find((e) => e.type === 'crm.person.erased.v1'), {
    what: 'the erasure at the shop',
  });
  expect(told.payload).toMatchObject({
    erasureId: erasure.erasureId,
    email: 'maria.anders@anders.example',
    identities: [{ source: 'example-http:shop', externalId: 'EX-PERSON' }],
  });
  await sleep(1_500);
  expect(erp.received.filter((e) => e.type === 'crm.person.erased.v1')).toEqual([]); // it never held them
  expect(
    (await privacy.export('default', 'maria.anders@anders.example')).holdings['customer contacts'],
  ).toEqual([]);
});
