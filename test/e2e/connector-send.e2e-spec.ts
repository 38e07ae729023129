/**
 * Outbound `send`: customers pulled from one instance become CRM events that are sent to another
 * send-capable instance, never back to the one they came from (no echo); a paused instance's
 * events wait for it and arrive when it resumes.
 * Real: PostgreSQL, RabbitMQ, the app (pull job, handlers, relay, sender), two HTTP systems. Mocked: nothing.
 */
import { ConnectorInstanceService } from '@tradelane/crm-core';
import { ExampleSource } from '@tradelane/example-http';
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
  expect((await svc.status('example-http:erp')).deliveries).toEqual({ pending: 0, failed: 0 });
});
