/**
 * Partners sharing their data: a stock report retried with the same Idempotency-Key is stored once
 * and answered the same; the key with another body is refused; an invalid report is refused with
 * the JSON pointer of each field; what is taken goes through the pipeline as the canonical event,
 * attributed to the partner (source partner:<id>) and for its customer, and the partner reads it
 * back. Real: PostgreSQL, the app, the in-process bus, the outbox relay. Mocked: nothing.
 */
import {
  AppWithAdmin,
  bootAppWithAdmin,
  CustomerEventFactory,
  publishAndSettle,
  waitFor,
} from '@tradelane/testing';
import request from 'supertest';

jest.setTimeout(120_000);

let app: AppWithAdmin;
const http = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });
let key = '';
let partner = '';
let alfki = '';

const report = (quantity: unknown) => ({
  items: [
    {
      externalId: 'SR-1/1',
      sku: 'SKU-9',
      warehouse: 'PARTNER-DC',
      status: 'available',
      quantity,
      reason: 'reported',
      asOf: '2026-06-01T08:00:00.000Z',
    },
  ],
});

beforeAll(async () => {
  app = await bootAppWithAdmin('partner-inbound');
  await publishAndSettle(app, [
    CustomerEventFactory.create({ externalId: 'ALFKI', name: 'Alfreds Futterkiste' }),
    CustomerEventFactory.create({ externalId: 'BONAP', name: 'Bon app' }),
  ]);
  const customers = (await http().get('/customers').set(as(app.adminToken)).expect(200)).body.items as {
    id: string;
    name: string;
  }[];
  alfki = customers.find((c) => c.name === 'Alfreds Futterkiste')!.id;
  partner = (
    await http()
      .post('/partners')
      .set(as(app.adminToken))
      .send({ name: 'Alfreds', customerIds: [alfki] })
      .expect(201)
  ).body.id as string;
  key = (
    await http()
      .post('/api-keys')
      .set(as(app.adminToken))
      .send({
        name: 'alfreds sync',
        scopes: ['inventory:read', 'inventory:write', 'orders:read', 'orders:write'],
        partnerId: partner,
      })
      .expect(201)
  ).body.token as string;
});
afterAll(() => app?.close());

it('stores a stock report once however often it is retried with its key, and answers the same', async () => {
  const first = await http()
    .post('/partner/v1/stock-reports')
    .set(as(key))
    .set('idempotency-key', 'report-2026-06-01')
    .send(report(42))
    .expect(202);
  expect(first.body).toEqual({
    accepted: 1,
    messageIds: [expect.any(String)],
    idempotencyKey: 'report-2026-06-01',
  });
  expect(first.headers['idempotent-replayed']).toBeUndefined();
  const retries = await Promise.all(
    [1, 2, 3].map(() =>
      http()
        .post('/partner/v1/stock-reports')
        .set(as(key))
        .set('idempotency-key', 'report-2026-06-01')
        .send(report(42)),
    ),
  );
  for (const r of retries) {
    expect(r.status).toBe(202);
    expect(r.body).toEqual(first.body);
    expect(r.headers['idempotent-replayed']).toBe('true');
  }
  // Partner lists show a row once every transaction older than it has ended (the cursor never
  // skips one), so a list read right after can still hold it back while the cluster is busy: the
  // level is checked on the answer that showed it.
  const stock = await waitFor(async () => {
    const res = await http().get('/partner/v1/stock').set(as(key)).expect(200);
    return res.body.items.length === 1 ? res : undefined;
  });
  expect(stock.body.items).toEqual([
    expect.objectContaining({
      source: `partner:${partner}`,
      sku: 'SKU-9',
      warehouse: 'PARTNER-DC',
      quantity: 42,
    }),
  ]);
  // One report in the history, on the staff side too: the customer's stock movements.
  const movements = await http()
    .get(`/customers/${alfki}/stock/movements`)
    .set(as(app.adminToken))
    .expect(200);
  expect(movements.body.items).toHaveLength(1);
  const ledger = await http().get('/ledger').query({ key: 'SR-1/1' }).set(as(app.adminToken)).expect(200);
  expect(JSON.stringify(ledger.body)).toContain(first.body.messageIds[0]);
});

it('refuses the key reused for another body (422), a missing key (400), an invalid body with pointers', async () => {
  const reused = await http()
    .post('/partner/v1/stock-reports')
    .set(as(key))
    .set('idempotency-key', 'report-2026-06-01')
    .send(report(43))
    .expect(422);
  expect(reused.headers['content-type']).toMatch(/problem\+json/);
  expect(reused.body.detail).toMatch(/was used for another request/);

  const missing = await http().post('/partner/v1/stock-reports').set(as(key)).send(report(1)).expect(400);
  expect(missing.body.detail).toMatch(/Idempotency-Key/);

  const invalid = await http()
    .post('/partner/v1/stock-reports')
    .set(as(key))
    .set('idempotency-key', 'bad-1')
    .send({
      items: [
        { ...report(-5).items[0], status: 'lost', colour: 'red' },
        { externalId: 'SR-1/2', sku: 'X', warehouse: 'W', reason: 'reported', status: 'available' },
      ],
    })
    .expect(400);
  expect(invalid.body).toMatchObject({ status: 400, instance: '/partner/v1/stock-reports' });
  const pointers = (invalid.body.errors as { pointer: string; detail: string }[]).map((e) => e.pointer);
  expect(pointers).toEqual(
    expect.arrayContaining(['/items/0/quantity', '/items/0/status', '/items/0/colour', '/items/1/asOf']),
  );
  // Nothing of it was taken: the key is still free for the corrected body.
  await http()
    .post('/partner/v1/stock-reports')
    .set(as(key))
    .set('idempotency-key', 'bad-1')
    .send({ items: [{ ...report(5).items[0], externalId: 'SR-2/1', sku: 'SKU-10' }] })
    .expect(202);
});

it('refuses writes without their scope, and a customer that is not the partner’s', async () => {
  const readOnly = (
    await http()
      .post('/api-keys')
      .set(as(app.adminToken))
      .send({ name: 'read only', scopes: ['inventory:read'], partnerId: partner })
      .expect(201)
  ).body.token as string;
  await http()
    .post('/partner/v1/stock-reports')
    .set(as(readOnly))
    .set('idempotency-key', 'k')
    .send(report(1))
    .expect(403);
  const other = await http()
    .post('/partner/v1/stock-reports')
    .set(as(key))
    .set('idempotency-key', 'other-customer')
    .send({ ...report(1), customerId: '00000000-0000-4000-8000-000000000001' })
    .expect(400);
  expect(other.body.errors).toEqual([{ pointer: '/customerId', detail: 'is not one of your customers' }]);
});

it('takes its orders into the pipeline for its customer, and it reads them back', async () => {
  await http()
    .post('/partner/v1/orders')
    .set(as(key))
    .set('idempotency-key', 'po-77')
    .send({
      items: [
        {
          externalId: 'PO-77',
          orderedAt: '2026-06-02T09:00:00.000Z',
          status: 'OPEN',
          lines: [{ sku: 'SKU-9', quantity: 3, unitPrice: 12.5 }],
        },
      ],
    })
    .expect(202);
  await waitFor(async () => {
    const orders = await http().get('/partner/v1/orders').set(as(key)).expect(200);
    return orders.body.items.some((o: { externalId: string }) => o.externalId === 'PO-77');
  });
  const orders = await http().get('/partner/v1/orders').set(as(key)).expect(200);
  expect(orders.body.items.find((o: { externalId: string }) => o.externalId === 'PO-77')).toMatchObject({
    source: `partner:${partner}`,
    status: 'OPEN',
  });
  // The partner's writes are in the tenant's audit log, by its credential.
  const audit = await http().get('/audit').query({ limit: 50 }).set(as(app.adminToken)).expect(200);
  expect(
    (audit.body.items as { actorName: string; route: string }[]).filter(
      (a) => a.actorName === 'alfreds sync' && a.route === 'POST /partner/v1/orders',
    ),
  ).toHaveLength(1);
});
