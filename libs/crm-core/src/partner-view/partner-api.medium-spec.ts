/**
 * The partner API's reads as a partner's developer meets them, over real PostgreSQL and the whole
 * app: filters (status, updatedSince, business date, per resource), field selection inside the
 * scopes, ETags with If-None-Match, RFC 9457 problem details for every kind of refusal, the
 * RateLimit fields, stock from the stock view, open and overdue invoices, the scorecard. Real: PostgreSQL, the app, the in-process bus. Mocked: nothing.
 */
import { createEnvelope, Envelope, MessageType } from '@tradelane/contracts';
import {
  AppWithAdmin,
  bootAppWithAdmin,
  CustomerEventFactory,
  OrderEventFactory,
  publishAndSettle,
  testServices,
} from '@tradelane/testing';
import { Client } from 'pg';
import request from 'supertest';

jest.setTimeout(120_000);

let app: AppWithAdmin;
const http = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });
let key = ''; // orders, shipments, invoices, inventory, scorecard
let narrow = ''; // orders:read only

const ERP = 'erp-test:main';
const WMS = 'wms-test:main';

function event(type: string, key: string, payload: Record<string, unknown>, source = ERP): Envelope {
  return createEnvelope({ type: type as MessageType, source, key, payload: payload as never });
}

beforeAll(async () => {
  app = await bootAppWithAdmin('partner-api');
  await publishAndSettle(app, [
    CustomerEventFactory.create({ externalId: 'ALFKI', name: 'Alfreds Futterkiste' }),
    CustomerEventFactory.create({ externalId: 'BONAP', name: 'Bon app' }),
  ]);
  await publishAndSettle(app, [
    OrderEventFactory.create({
      externalId: 'SO-1',
      customerExternalId: 'ALFKI',
      status: 'OPEN',
      orderedAt: '2026-03-01T10:00:00.000Z',
      currency: 'EUR',
    }),
    OrderEventFactory.create({
      externalId: 'SO-2',
      customerExternalId: 'ALFKI',
      status: 'SHIPPED',
      orderedAt: '2026-04-01T10:00:00.000Z',
      currency: 'EUR',
    }),
    OrderEventFactory.create({ externalId: 'SO-B', customerExternalId: 'BONAP', status: 'OPEN' }),
    event('erp.invoice.upserted.v1', 'INV-1', {
      externalId: 'INV-1',
      customerExternalId: 'ALFKI',
      issuedAt: '2026-01-01T00:00:00.000Z',
      dueAt: '2026-01-31T00:00:00.000Z',
      currency: 'EUR',
      totalAmount: 100,
      paidAmount: 40,
      status: 'PARTIALLY_PAID',
    }),
    event('erp.invoice.upserted.v1', 'INV-2', {
      externalId: 'INV-2',
      customerExternalId: 'ALFKI',
      issuedAt: '2026-02-01T00:00:00.000Z',
      dueAt: '2026-03-01T00:00:00.000Z',
      currency: 'EUR',
      totalAmount: 50,
      paidAmount: 50,
      status: 'PAID',
    }),
    event(
      'wms.stock.level-changed.v1',
      'ALFKI/WH1/SKU-1',
      {
        externalId: '846-1/1',
        customerExternalId: 'ALFKI',
        customerSource: ERP,
        sku: 'SKU-1',
        warehouse: 'WH1',
        status: 'available',
        quantity: 120,
        reason: 'reported',
        asOf: '2026-05-01T00:00:00.000Z',
      },
      WMS,
    ),
    event(
      'wms.stock.level-changed.v1',
      'ALFKI/WH2/SKU-2',
      {
        externalId: '846-1/2',
        customerExternalId: 'ALFKI',
        customerSource: ERP,
        sku: 'SKU-2',
        lot: 'L7',
        warehouse: 'WH2',
        status: 'damaged',
        quantity: 3,
        reason: 'reported',
        asOf: '2026-05-01T00:00:00.000Z',
      },
      WMS,
    ),
  ]);
  const customers = (await http().get('/customers').set(as(app.adminToken)).expect(200)).body.items as {
    id: string;
    name: string;
  }[];
  const alfki = customers.find((c) => c.name === 'Alfreds Futterkiste')!.id;
  const partner = (
    await http()
      .post('/partners')
      .set(as(app.adminToken))
      .send({ name: 'Alfreds', customerIds: [alfki] })
      .expect(201)
  ).body.id as string;
  const keyWith = async (scopes: string[]) =>
    (
      await http()
        .post('/api-keys')
        .set(as(app.adminToken))
        .send({ name: scopes.join(' '), scopes, partnerId: partner })
        .expect(201)
    ).body.token as string;
  key = await keyWith(['orders:read', 'shipments:read', 'invoices:read', 'inventory:read', 'scorecard:read']);
  narrow = await keyWith(['orders:read']);
});
afterAll(() => app?.close());

const externalIds = (body: { items: { externalId?: string; sku?: string }[] }) =>
  body.items.map((x) => x.externalId ?? x.sku).sort();

it('filters by status, business date and updatedSince', async () => {
  const all = await http().get('/partner/v1/orders').set(as(key)).expect(200);
  expect(externalIds(all.body)).toEqual(['SO-1', 'SO-2']); // never BONAP's
  const shipped = await http()
    .get('/partner/v1/orders')
    .query({ status: 'SHIPPED' })
    .set(as(key))
    .expect(200);
  expect(externalIds(shipped.body)).toEqual(['SO-2']);
  const march = await http()
    .get('/partner/v1/orders')
    .query({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' })
    .set(as(key))
    .expect(200);
  expect(externalIds(march.body)).toEqual(['SO-1']);
  const future = await http()
    .get('/partner/v1/orders')
    .query({ updatedSince: new Date(Date.now() + 60_000).toISOString() })
    .set(as(key))
    .expect(200);
  expect(future.body.items).toEqual([]);
  const past = await http()
    .get('/partner/v1/orders')
    .query({ updatedSince: '2020-01-01T00:00:00Z' })
    .set(as(key))
    .expect(200);
  expect(externalIds(past.body)).toEqual(['SO-1', 'SO-2']);
});

it('selects fields inside the scopes: unknown 400, outside the scopes 403, amounts only with invoices:read', async () => {
  const some = await http()
    .get('/partner/v1/orders')
    .query({ fields: 'status,totalAmount' })
    .set(as(key))
    .expect(200);
  for (const o of some.body.items) expect(Object.keys(o).sort()).toEqual(['id', 'status', 'totalAmount']);
  const bad = await http()
    .get('/partner/v1/orders')
    .query({ fields: 'status,secret' })
    .set(as(key))
    .expect(400);
  expect(bad.body.detail).toMatch(/no field "secret"/);
  const guarded = await http()
    .get('/partner/v1/orders')
    .query({ fields: 'totalAmount' })
    .set(as(narrow))
    .expect(403);
  expect(guarded.body.detail).toMatch(/totalAmount needs the invoices:read scope/);
  const plain = await http().get('/partner/v1/orders').set(as(narrow)).expect(200);
  for (const o of plain.body.items) expect(o).not.toHaveProperty('totalAmount');
  const one = await http()
    .get(`/partner/v1/orders/${plain.body.items[0].id}`)
    .query({ fields: 'externalId' })
    .set(as(narrow))
    .expect(200);
  expect(Object.keys(one.body).sort()).toEqual(['externalId', 'id']);
});

it('answers with an ETag and 304 Not Modified to If-None-Match', async () => {
  const first = await http().get('/partner/v1/orders').set(as(key)).expect(200);
  const etag = first.headers.etag as string;
  expect(etag).toMatch(/^W\/".+"$/);
  const again = await http().get('/partner/v1/orders').set(as(key)).set('if-none-match', etag).expect(304);
  expect(again.text).toBe('');
  // Another answer, another tag.
  const one = await http().get(`/partner/v1/orders/${first.body.items[0].id}`).set(as(key)).expect(200);
  expect(one.headers.etag).not.toBe(etag);
  await http()
    .get(`/partner/v1/orders/${first.body.items[0].id}`)
    .set(as(key))
    .set('if-none-match', one.headers.etag as string)
    .expect(304);
});

it('refuses in RFC 9457 problem details, whatever refused', async () => {
  const cases: [string, number][] = [
    ['/partner/v1/orders/00000000-0000-4000-8000-000000000000', 404], // service
    ['/partner/v1/orders?limit=0', 400], // validation pipe
    ['/partner/v1/orders?cursor=nonsense', 400], // cursor
    ['/partner/v1/cases', 403], // access guard: no cases:read
  ];
  for (const [url, status] of cases) {
    const res = await http().get(url).set(as(key)).expect(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toEqual({
      type: expect.stringMatching(/^https:\/\/tradelane\.dev\/problems\/[a-z-]+$/),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      instance: url.split('?')[0],
    });
  }
  const anonymous = await http().get('/partner/v1/orders').expect(401);
  expect(anonymous.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  // Staff routes keep their shape.
  const staff = await http().get('/customers/nope').set(as(app.adminToken)).expect(400);
  expect(staff.body).toHaveProperty('statusCode', 400);
});

it('tells each client its rate limit in the RateLimit fields', async () => {
  const res = await http().get('/partner/v1/orders').set(as(key)).expect(200);
  expect(res.headers['ratelimit-policy']).toMatch(/^"default";q=\d+;w=60$/);
  const [, remaining] = /^"default";r=(\d+);t=\d+$/.exec(res.headers.ratelimit as string)!;
  const next = await http().get('/partner/v1/orders').set(as(key)).expect(200);
  expect(Number(/r=(\d+)/.exec(next.headers.ratelimit as string)![1])).toBe(Number(remaining) - 1);
  // Counted per client: another key of the same partner has its own budget.
  const other = await http().get('/partner/v1/orders').set(as(narrow)).expect(200);
  expect(Number(/r=(\d+)/.exec(other.headers.ratelimit as string)![1])).toBeGreaterThan(
    Number(remaining) - 1,
  );
});

it('lists stock from the stock view with its filters, and open and overdue invoices', async () => {
  const stock = await http().get('/partner/v1/stock').set(as(key)).expect(200);
  expect(
    stock.body.items
      .map((s: Record<string, unknown>) => [s.sku, s.lot, s.warehouse, s.status, s.quantity])
      .sort(),
  ).toEqual([
    ['SKU-1', null, 'WH1', 'available', 120],
    ['SKU-2', 'L7', 'WH2', 'damaged', 3],
  ]);
  const wh2 = await http().get('/partner/v1/stock').query({ warehouse: 'WH2' }).set(as(key)).expect(200);
  expect(externalIds(wh2.body)).toEqual(['SKU-2']);
  await http().get('/partner/v1/stock').query({ colour: 'red' }).set(as(key)).expect(400);

  const invoices = await http().get('/partner/v1/invoices').set(as(key)).expect(200);
  const inv1 = invoices.body.items.find((i: { externalId: string }) => i.externalId === 'INV-1');
  expect(inv1).toMatchObject({ totalAmount: 100, paidAmount: 40, openAmount: 60, overdue: true });
  const overdue = await http().get('/partner/v1/invoices').query({ overdue: true }).set(as(key)).expect(200);
  expect(externalIds(overdue.body)).toEqual(['INV-1']);
  const settled = await http().get('/partner/v1/invoices').query({ open: 'false' }).set(as(key)).expect(200);
  expect(externalIds(settled.body)).toEqual(['INV-2']);
});

it('serves the scorecard of its customers only', async () => {
  await http().post('/kpis/refresh').set(as(app.adminToken)).expect(200);
  const card = await http().get('/partner/v1/scorecard').query({ period: 'month' }).set(as(key)).expect(200);
  expect(card.body.period).toBe('month');
  expect(card.body.items.length).toBeGreaterThan(0);
  const names = new Set(card.body.items.map((r: { customerName: string }) => r.customerName));
  expect([...names]).toEqual(['Alfreds Futterkiste']); // BONAP's values are not its
  expect(card.body.items[0]).toEqual(
    expect.objectContaining({
      kpi: expect.any(String),
      periodStart: expect.any(String),
      n: expect.any(Number),
    }),
  );
  await http().get('/partner/v1/scorecard').query({ period: 'year' }).set(as(key)).expect(400);
});

it('opens a case on its order, adds a message, and the staff queue has it; never on another partner’s order', async () => {
  const partnerId = (await http().get('/partner/v1/me').set(as(key)).expect(200)).body.partner.id as string;
  const cases = (
    await http()
      .post('/api-keys')
      .set(as(app.adminToken))
      .send({ name: 'cases', scopes: ['orders:read', 'cases:read', 'cases:write'], partnerId })
      .expect(201)
  ).body.token as string;
  const order = (await http().get('/partner/v1/orders').query({ status: 'OPEN' }).set(as(cases)).expect(200))
    .body.items[0] as { id: string; externalId: string };
  const opened = await http()
    .post('/partner/v1/cases')
    .set(as(cases))
    .send({ type: 'damage', subject: 'Two pallets arrived crushed', orderId: order.id })
    .expect(201);
  expect(opened.body).toMatchObject({
    type: 'damage',
    status: 'new',
    subject: 'Two pallets arrived crushed',
    orderExternalId: order.externalId,
    firstResponseDueAt: expect.any(String),
    resolutionDueAt: expect.any(String),
  });
  const answered = await http()
    .post(`/partner/v1/cases/${opened.body.id}/messages`)
    .set(as(cases))
    .send({ body: 'Photos attached to the delivery note.' })
    .expect(201);
  expect(answered.body.messages).toEqual([
    expect.objectContaining({ direction: 'inbound', body: 'Photos attached to the delivery note.' }),
  ]);
  // The service desk's queue has it.
  const queue = await http().get('/cases').set(as(app.adminToken)).expect(200);
  expect(
    (queue.body.items as { id: string; subject: string }[]).find((c) => c.id === opened.body.id),
  ).toMatchObject({
    subject: 'Two pallets arrived crushed',
  });
  // Another partner's order: as if it did not exist. No scope: 403.
  const customers = (await http().get('/customers').set(as(app.adminToken)).expect(200)).body.items as {
    id: string;
    name: string;
  }[];
  const bonap = customers.find((c) => c.name === 'Bon app')!.id;
  const bonapOrder = (await http().get(`/customers/${bonap}/orders`).set(as(app.adminToken)).expect(200)).body
    .items[0].id as string;
  await http()
    .post('/partner/v1/cases')
    .set(as(cases))
    .send({ type: 'damage', subject: 'Not mine', orderId: bonapOrder })
    .expect(404);
  await http()
    .post('/partner/v1/cases')
    .set(as(key))
    .send({ type: 'damage', subject: 'No scope' })
    .expect(403);
});

it("lists what committed while another database's transaction runs; holds back only behind its own", async () => {
  const holdOpen = async (url: string) => {
    const c = new Client({ connectionString: url });
    await c.connect();
    await c.query('BEGIN');
    await c.query('SELECT pg_current_xact_id()'); // it has a transaction id, as a writer does
    return c;
  };
  const orders = async () =>
    externalIds((await http().get('/partner/v1/orders').set(as(key)).expect(200)).body);
  // Transaction ids are the cluster's: another application's long transaction must not stall the feed.
  const elsewhere = await holdOpen(testServices().databaseUrl);
  try {
    await publishAndSettle(app, [
      OrderEventFactory.create({ externalId: 'SO-3', customerExternalId: 'ALFKI' }),
    ]);
    expect(await orders()).toContain('SO-3');
  } finally {
    await elsewhere.end();
  }
  // One in this database may still write a row of an older transaction id: what came after waits.
  const here = await holdOpen(app.database.url);
  try {
    await publishAndSettle(app, [
      OrderEventFactory.create({ externalId: 'SO-4', customerExternalId: 'ALFKI' }),
    ]);
    expect(await orders()).not.toContain('SO-4');
  } finally {
    await here.end();
  }
  expect(await orders()).toContain('SO-4');
});
