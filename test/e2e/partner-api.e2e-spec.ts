/**
 * The partner API end to end on real PostgreSQL and RabbitMQ: partner A's client with
 * `orders:read shipments:read` lists its orders and shipments, is refused invoices (403), cannot
 * read partner B's order by id (404, as one that does not exist), and pages through 10,000 orders
 * with the cursor while more orders arrive through the pipeline, without a duplicate or a gap:
 * what it saw is exactly the start of the list read again afterwards. Real: PostgreSQL, RabbitMQ,
 * the app and its consumers. Mocked: nothing.
 */
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { INBOUND_EXCHANGE } from '@tradelane/messaging';
import {
  AppWithAdmin,
  bootAppWithAdmin,
  CustomerEventFactory,
  OrderEventFactory,
  publishAndSettle,
  resetBroker,
  testServices,
  waitFor,
} from '@tradelane/testing';
import request from 'supertest';

jest.setTimeout(300_000);

const INITIAL = 10_000;
let app: AppWithAdmin;
const http = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const tokens = { a: '', b: '' };
let bonapOrder = '';

const order = (n: number, customer = 'ALFKI') =>
  OrderEventFactory.create({
    externalId: `${customer}-${String(n).padStart(6, '0')}`,
    customerExternalId: customer,
    status: 'OPEN',
  });

async function publishAll(events: Envelope[]): Promise<void> {
  for (let i = 0; i < events.length; i += 500)
    await Promise.all(events.slice(i, i + 500).map((e) => app.bus.publish(INBOUND_EXCHANGE, e)));
}

async function processed(): Promise<number> {
  const [row] = await app.db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM crm_order`);
  return row.n;
}

beforeAll(async () => {
  const services = testServices();
  await resetBroker(services.amqpUrl, services.rabbitmqctl);
  process.env.TRADELANE_RATE_LIMIT_PER_MINUTE = '0';
  app = await bootAppWithAdmin('partner_api_e2e', { amqpUrl: services.amqpUrl });
  await publishAndSettle(app, [
    CustomerEventFactory.create({ externalId: 'ALFKI', name: 'Alfreds Futterkiste' }),
    CustomerEventFactory.create({ externalId: 'BONAP', name: 'Bon app' }),
  ]);
  await publishAndSettle(app, [
    order(1, 'BONAP'),
    createEnvelope({
      type: 'tms.delivery.status-changed.v1',
      source: 'erp-test:main',
      key: 'SHP-1',
      payload: {
        externalId: 'SHP-1',
        status: 'IN_TRANSIT',
        customerExternalId: 'ALFKI',
        customerSource: 'erp-test:main',
        location: 'Hamburg hub',
      },
    }),
  ]);
  await publishAll(Array.from({ length: INITIAL }, (_, i) => order(i)));
  await waitFor(async () => (await processed()) === INITIAL + 1, {
    timeoutMs: 240_000,
    intervalMs: 500,
    what: `${INITIAL} orders processed`,
  });
  const customers = (await http().get('/customers').set(as(app.adminToken)).expect(200)).body.items as {
    id: string;
    name: string;
  }[];
  for (const [k, name] of [
    ['a', 'Alfreds Futterkiste'],
    ['b', 'Bon app'],
  ] as const) {
    const customer = customers.find((c) => c.name === name)!.id;
    const partner = (
      await http()
        .post('/partners')
        .set(as(app.adminToken))
        .send({ name, customerIds: [customer] })
        .expect(201)
    ).body.id as string;
    tokens[k] = (
      await http()
        .post('/api-keys')
        .set(as(app.adminToken))
        .send({ name: `${name} client`, scopes: ['orders:read', 'shipments:read'], partnerId: partner })
        .expect(201)
    ).body.token as string;
  }
  bonapOrder = (await http().get('/partner/v1/orders').set(as(tokens.b)).expect(200)).body.items[0]
    .id as string;
});
afterAll(async () => {
  delete process.env.TRADELANE_RATE_LIMIT_PER_MINUTE;
  await app?.close();
});

it('lists its orders and shipments, is refused invoices, and cannot read another partner’s order', async () => {
  const shipments = await http().get('/partner/v1/shipments').set(as(tokens.a)).expect(200);
  expect(shipments.body.items).toEqual([
    expect.objectContaining({ externalId: 'SHP-1', status: 'IN_TRANSIT', position: 'Hamburg hub' }),
  ]);
  const first = await http().get('/partner/v1/orders').query({ limit: 5 }).set(as(tokens.a)).expect(200);
  expect(first.body.items).toHaveLength(5);
  for (const o of first.body.items) expect(o.externalId).toMatch(/^ALFKI-/);
  const invoices = await http().get('/partner/v1/invoices').set(as(tokens.a)).expect(403);
  expect(invoices.headers['content-type']).toMatch(/problem\+json/);
  const foreign = await http().get(`/partner/v1/orders/${bonapOrder}`).set(as(tokens.a)).expect(404);
  const missing = await http()
    .get('/partner/v1/orders/00000000-0000-4000-8000-000000000000')
    .set(as(tokens.a))
    .expect(404);
  expect(foreign.body.detail.replace(bonapOrder, 'X')).toBe(
    missing.body.detail.replace('00000000-0000-4000-8000-000000000000', 'X'),
  );
});

it('pages through 10,000 orders while orders arrive, without a duplicate or a gap', async () => {
  let adding = true;
  let added = 0;
  const arriving = (async () => {
    while (adding) {
      await publishAll(Array.from({ length: 50 }, () => order(INITIAL + ++added)));
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await http()
      .get('/partner/v1/orders')
      .query({ limit: 200, fields: 'externalId', ...(cursor ? { cursor } : {}) })
      .set(as(tokens.a))
      .expect(200);
    seen.push(...(res.body.items as { externalId: string }[]).map((o) => o.externalId));
    cursor = res.body.nextCursor as string | null;
    pages++;
  } while (cursor && seen.length < INITIAL);
  adding = false;
  await arriving;
  expect(added).toBeGreaterThan(0);
  expect(pages).toBeGreaterThanOrEqual(INITIAL / 200);
  expect(new Set(seen).size).toBe(seen.length); // no duplicate
  const seenSet = new Set(seen);
  const unseen = Array.from({ length: INITIAL }, (_, i) => `ALFKI-${String(i).padStart(6, '0')}`).filter(
    (x) => !seenSet.has(x),
  );
  expect(unseen).toEqual([]); // every order there before paging began

  // Everything settles; the whole list read again starts with exactly what was seen: no gap.
  await waitFor(async () => (await processed()) === INITIAL + 1 + added, {
    timeoutMs: 120_000,
    intervalMs: 500,
    what: 'the arriving orders',
  });
  const again: string[] = [];
  cursor = null;
  do {
    const res = await http()
      .get('/partner/v1/orders')
      .query({ limit: 500, fields: 'externalId', ...(cursor ? { cursor } : {}) })
      .set(as(tokens.a))
      .expect(200);
    again.push(...(res.body.items as { externalId: string }[]).map((o) => o.externalId));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  expect(again).toHaveLength(INITIAL + added);
  expect(again.slice(0, seen.length)).toEqual(seen);
});
