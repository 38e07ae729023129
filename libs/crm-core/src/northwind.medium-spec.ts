/**
 * The Northwind sample (config/sample/northwind, copied from shared fixtures with SOURCES rows)
 * published as ERP connector events through real RabbitMQ: the view of ALFKI shows exactly its
 * orders with shipped/required dates and carrier, and totals match the source files.
 * Real: PostgreSQL, RabbitMQ, the app (handlers, HTTP). Mocked: nothing.
 * Expected figures are computed here from the raw CSV text, independently of the mapper.
 */
import { INBOUND_EXCHANGE } from '@tradelane/messaging';
import {
  bootTestApp,
  createTestDatabase,
  RawPublisher,
  resetBroker,
  TestApp,
  TestDatabase,
  testServices,
  waitFor,
} from '@tradelane/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { northwindToEnvelopes } from './sample/northwind.mapper';

jest.setTimeout(120_000);

const services = testServices();
const dir = path.resolve(__dirname, '../../../config/sample/northwind');
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
let database: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  await resetBroker(services.amqpUrl, services.rabbitmqctl);
  database = await createTestDatabase(services.databaseUrl, 'northwind');
  app = await bootTestApp({ database: database.config, amqpUrl: services.amqpUrl });
  const publisher = await RawPublisher.open(services.amqpUrl);
  const envelopes = northwindToEnvelopes({
    customers: read('customers.csv'),
    orders: read('orders.csv'),
    orderDetails: read('order-details.csv'),
    shippers: read('shippers.csv'),
  });
  await publisher.publishMany(
    INBOUND_EXCHANGE,
    envelopes.map((e) => ({ routingKey: e.type, body: JSON.stringify(e) })),
  );
  await publisher.close();
  await waitFor(
    async () =>
      Number(
        (await database.db.sql<{ n: string }>(`SELECT count(*) AS n FROM inbox WHERE consumer = 'core'`))[0]
          .n,
      ) === envelopes.length,
    { timeoutMs: 60_000, what: `${envelopes.length} events processed` },
  );
});

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/** Order value per order id straight from order-details.csv, in ten-thousandths. */
function detailTotals(): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of read('order-details.csv').trim().split('\n').slice(1)) {
    const [orderId, , unitPrice, quantity, discount] = line.split(',');
    const v = Math.round(Number(unitPrice) * Number(quantity) * (1 - Number(discount)) * 10_000);
    totals.set(orderId, (totals.get(orderId) ?? 0) + v);
  }
  return totals;
}

it("shows ALFKI's orders with their dates, carrier and totals", async () => {
  const http = request(app.app.getHttpServer());
  const search = await http.get('/customers').query({ q: 'ALFKI' }).expect(200);
  expect(search.body.items).toHaveLength(1);
  const id = search.body.items[0].id;
  const view = await http.get(`/customers/${id}`).expect(200);
  expect(view.body.profile).toMatchObject({
    name: 'Alfreds Futterkiste',
    city: 'Berlin',
    postalCode: '12209',
  });
  expect(view.body.profile.fields.name).toMatchObject({ source: 'erp-sample:northwind', sourceId: 'ALFKI' });
  expect(view.body.identities).toEqual([
    expect.objectContaining({ source: 'erp-sample:northwind', externalId: 'ALFKI' }),
  ]);

  // From orders.csv: ALFKI's rows (its ship address has no comma, so a plain split is safe here).
  const carriers = Object.fromEntries(
    read('shippers.csv')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(0, 2)),
  );
  const totals = detailTotals();
  const expected = read('orders.csv')
    .trim()
    .split('\n')
    .filter((l) => l.split(',')[1] === 'ALFKI')
    .map((l) => {
      const f = l.split(',');
      const day = (s: string) => (s === 'NULL' ? null : `${s.slice(0, 10)}T00:00:00.000Z`);
      return {
        externalId: f[0],
        orderedAt: day(f[3]),
        requiredAt: day(f[4]),
        shippedAt: day(f[5]),
        carrier: carriers[f[6]],
        totalAmount: ((totals.get(f[0]) ?? 0) / 10_000).toFixed(4),
      };
    })
    .sort((a, b) => (b.orderedAt ?? '').localeCompare(a.orderedAt ?? ''));
  expect(expected).toHaveLength(6);

  const orders = await http.get(`/customers/${id}/orders`).query({ limit: 50 }).expect(200);
  expect(orders.body.total).toBe(6);
  expect(
    orders.body.items.map((o: Record<string, unknown>) => ({
      externalId: o.externalId,
      orderedAt: o.orderedAt,
      requiredAt: o.requiredAt,
      shippedAt: o.shippedAt,
      carrier: o.carrier,
      totalAmount: o.totalAmount,
    })),
  ).toEqual(expected);
  const sum = expected.reduce((s, o) => s + Math.round(Number(o.totalAmount) * 10_000), 0);
  expect(view.body.orders).toMatchObject({ count: 6, totalAmount: (sum / 10_000).toFixed(4) });
  expect(view.body.orders.recent.map((o: { externalId: string }) => o.externalId)).toEqual(
    expected.map((o) => o.externalId),
  );
  expect(view.body.roles).toEqual([{ role: 'customer', subjectType: 'order', count: 6 }]);
});

it('holds every customer and order of the source files, with matching totals', async () => {
  const [c] = await database.db.sql<{ n: string }>('SELECT count(*) AS n FROM crm_customer_record');
  const [o] = await database.db.sql<{ n: string; unlinked: string; total: string }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE c.id IS NULL) AS unlinked, sum(o.total_amount) AS total
       FROM crm_order o
       LEFT JOIN crm_customer_record c
         ON c.tenant = o.tenant AND c.source = o.customer_source AND c.external_id = o.customer_external_id`,
  );
  expect(Number(c.n)).toBe(read('customers.csv').trim().split('\n').length - 1);
  expect(Number(o.n)).toBe(read('orders.csv').trim().split('\n').length - 1);
  expect(Number(o.unlinked)).toBe(0);
  const expectedTotal = [...detailTotals().values()].reduce((a, b) => a + b, 0) / 10_000;
  expect(Number(o.total)).toBeCloseTo(expectedTotal, 4);
});

it('puts the Northwind customers in ABC classes whose revenue shares match the cut-offs', async () => {
  const http = request(app.app.getHttpServer());
  const summary = (await http.post('/segments/classify').send({ asOf: '1998-06-01T00:00:00Z' }).expect(200))
    .body;
  const customerCount = read('customers.csv').trim().split('\n').length - 1;
  expect(summary.customers).toBe(customerCount);

  // Independently, from the CSV files: revenue per customer, Pareto order, 80 / 15 / 5.
  const totals = detailTotals();
  const revenue = new Map<string, number>();
  for (const line of read('orders.csv').trim().split('\n').slice(1)) {
    const [orderId, customerId] = line.split(',');
    revenue.set(customerId, (revenue.get(customerId) ?? 0) + (totals.get(orderId) ?? 0));
  }
  const all = [...revenue.values()].reduce((a, b) => a + b, 0);
  let before = 0;
  const expected = new Map<string, string>();
  for (const [id, r] of [...revenue].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))) {
    expected.set(id, before < 0.8 ? 'A' : before < 0.95 ? 'B' : 'C');
    before += r / all;
  }
  const rows = await database.db.sql<{ external_id: string; abc: string; share: string }>(
    `SELECT r.external_id, s.abc, s.share FROM crm_customer_segment s JOIN crm_customer_record r ON r.customer_id = s.customer_id`,
  );
  for (const row of rows)
    expect([row.external_id, row.abc]).toEqual([row.external_id, expected.get(row.external_id) ?? 'C']);
  // The A class holds at least 80 % of revenue, and without its smallest member less than 80 %.
  const shareOf = (c: string) => rows.filter((r) => r.abc === c).map((r) => Number(r.share));
  const a = shareOf('A');
  expect(a.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(0.8);
  expect(a.reduce((x, y) => x + y, 0) - Math.min(...a)).toBeLessThan(0.8);
  expect(summary.shares.A + summary.shares.B + summary.shares.C).toBeCloseTo(1, 6);

  const [alfki] = (await http.get('/customers').query({ q: 'ALFKI' }).expect(200)).body.items;
  const segment = (await http.get(`/customers/${alfki.id}/segment`).expect(200)).body;
  expect(segment).toMatchObject({
    abc: expected.get('ALFKI'),
    inputs: { asOf: '1998-06-01T00:00:00.000Z', windowDays: 90 },
  });
  expect((await http.get(`/customers/${alfki.id}`).expect(200)).body.segment).toMatchObject({
    abc: segment.abc,
  });
  expect(segment.reason).toMatch(/% of revenue, rank \d+ of 91/);
});
