/**
 * Partner organisations and their credentials, over real PostgreSQL and the whole app with
 * authentication required: an administrator adds a partner linked to its customer and gives it an
 * API key, a user and an OAuth client; each reads the partner API and nothing else (staff routes
 * 403), only with its scopes (403), never another partner's record (404, as one that does not
 * exist); order amounts only with invoices:read; disabling the partner refuses all three at once;
 * relinking its customers moves what it sees at once; every change is in the audit log.
 * Real: PostgreSQL, the app, the in-process bus. Mocked: nothing.
 */
import { SecretBox } from '@tradelane/access';
import {
  AppWithAdmin,
  bootAppWithAdmin,
  CustomerEventFactory,
  OrderEventFactory,
  publishAndSettle,
} from '@tradelane/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';

jest.setTimeout(120_000);

let app: AppWithAdmin;
const http = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const ids = { alfki: '', bonap: '', alfkiOrder: '', bonapOrder: '', partner: '' };
let key = ''; // partner ALFKI's API key: orders:read shipments:read

/** A new API key of the partner, made by the administrator. */
async function partnerKey(name: string, scopes: string[]): Promise<string> {
  const res = await http()
    .post('/api-keys')
    .set(as(app.adminToken))
    .send({ name, scopes, partnerId: ids.partner })
    .expect(201);
  return res.body.token as string;
}

beforeAll(async () => {
  process.env.TRADELANE_SECRET_KEYS = SecretBox.generateKeySpec('k1'); // seals the OAuth signing keys
  app = await bootAppWithAdmin('partner-access');
  await publishAndSettle(app, [
    CustomerEventFactory.create({ externalId: 'ALFKI', name: 'Alfreds Futterkiste' }),
    CustomerEventFactory.create({ externalId: 'BONAP', name: 'Bon app' }),
  ]);
  await publishAndSettle(app, [
    OrderEventFactory.create({
      externalId: 'SO-A',
      customerExternalId: 'ALFKI',
      currency: 'EUR',
    }),
    OrderEventFactory.create({
      externalId: 'SO-B',
      customerExternalId: 'BONAP',
      currency: 'EUR',
    }),
  ]);
  const customers = (await http().get('/customers').set(as(app.adminToken)).expect(200)).body.items as {
    id: string;
    name: string;
  }[];
  ids.alfki = customers.find((c) => c.name === 'Alfreds Futterkiste')!.id;
  ids.bonap = customers.find((c) => c.name === 'Bon app')!.id;
  const orders = async (c: string) =>
    (await http().get(`/customers/${c}/orders`).set(as(app.adminToken)).expect(200)).body.items[0]
      .id as string;
  ids.alfkiOrder = await orders(ids.alfki);
  ids.bonapOrder = await orders(ids.bonap);
});
afterAll(async () => {
  delete process.env.TRADELANE_SECRET_KEYS;
  await app?.close();
});

it('adds a partner organisation linked to its customers, checked and audited', async () => {
  await http()
    .post('/partners')
    .set(as(app.adminToken))
    .send({ name: 'Alfreds', customerIds: [randomUUID()] })
    .expect(400)
    .expect((r) => expect(r.body.message).toMatch(/customerIds: no customer/));
  await http()
    .post('/partners')
    .set(as(app.adminToken))
    .send({ name: '', kinds: ['pirate'] })
    .expect(400);
  const created = await http()
    .post('/partners')
    .set(as(app.adminToken))
    .send({
      name: 'Alfreds',
      kinds: ['shipper'],
      contactEmail: 'IT@alfreds.example',
      customerIds: [ids.alfki],
    })
    .expect(201);
  expect(created.body).toMatchObject({
    name: 'Alfreds',
    kinds: ['shipper'],
    contactEmail: 'it@alfreds.example',
    status: 'active',
    customerIds: [ids.alfki],
  });
  ids.partner = created.body.id;
  await http().post('/partners').set(as(app.adminToken)).send({ name: 'Alfreds' }).expect(409);
  const list = await http().get('/partners').set(as(app.adminToken)).expect(200);
  expect(list.body).toMatchObject({ total: 1, items: [{ id: ids.partner }] });
  const [audit] = await app.db.sql<{ action: string; after: { name: string } }>(
    `SELECT action, after FROM audit_log WHERE target_type = 'partner' AND target_id = $1`,
    [ids.partner],
  );
  expect(audit.after.name).toBe('Alfreds');
});

it('gives a partner API key partner scopes only, and it reads the partner API and nothing else', async () => {
  await http()
    .post('/api-keys')
    .set(as(app.adminToken))
    .send({ name: 'alfreds portal', scopes: ['orders:read', 'customers:read'], partnerId: ids.partner })
    .expect(400)
    .expect((r) => expect(r.body.message).toMatch(/partner's credential may have only/));
  await http()
    .post('/api-keys')
    .set(as(app.adminToken))
    .send({ name: 'x', scopes: ['orders:read'], partnerId: randomUUID() })
    .expect(400);
  key = await partnerKey('alfreds portal', ['orders:read', 'shipments:read']);
  const orders = await http().get('/partner/v1/orders').set(as(key)).expect(200);
  expect(orders.body.items.map((o: { id: string }) => o.id)).toEqual([ids.alfkiOrder]);
  expect(orders.body.items[0]).not.toHaveProperty('totalAmount'); // amounts need invoices:read
  expect(orders.body.nextCursor).toBeNull();
  await http().get(`/partner/v1/orders/${ids.alfkiOrder}`).set(as(key)).expect(200);
  // Another customer's order: not found, exactly like an id that does not exist.
  const guessed = await http().get(`/partner/v1/orders/${ids.bonapOrder}`).set(as(key)).expect(404);
  const missing = await http().get(`/partner/v1/orders/${randomUUID()}`).set(as(key)).expect(404);
  expect(Object.keys(guessed.body).sort()).toEqual(Object.keys(missing.body).sort());
  await http().get('/partner/v1/invoices').set(as(key)).expect(403); // no invoices:read
  await http().get('/partner/v1/orders').query({ cursor: 'not-a-cursor' }).set(as(key)).expect(400);
  // Staff routes refuse a partner's credential, whatever its scopes.
  for (const path of [
    '/customers',
    `/customers/${ids.alfki}/orders`,
    '/connector-instances',
    '/dead-letters',
    '/partners',
  ])
    await http().get(path).set(as(key)).expect(403);
  // And the partner API refuses staff credentials.
  await http().get('/partner/v1/orders').set(as(app.adminToken)).expect(403);
  const me = await http().get('/partner/v1/me').set(as(key)).expect(200);
  expect(me.body).toMatchObject({
    partner: { id: ids.partner, name: 'Alfreds' },
    customers: [{ id: ids.alfki }],
  });
});

it('shows order amounts with invoices:read', async () => {
  const full = await partnerKey('alfreds finance', ['orders:read', 'invoices:read']);
  const orders = await http().get('/partner/v1/orders').set(as(full)).expect(200);
  expect(orders.body.items[0]).toMatchObject({ currency: 'EUR' });
  expect(typeof orders.body.items[0].totalAmount).not.toBe('undefined');
});

it("a partner's user logs in with the partner role only and reaches the partner API", async () => {
  const password = 'partner portal password 1';
  await http()
    .post('/users')
    .set(as(app.adminToken))
    .send({ email: 'anna@alfreds.example', password, roles: ['admin'], partnerId: ids.partner })
    .expect(400);
  const user = await http()
    .post('/users')
    .set(as(app.adminToken))
    .send({ email: 'anna@alfreds.example', password, partnerId: ids.partner })
    .expect(201);
  expect(user.body).toMatchObject({ roles: ['partner'], partnerId: ids.partner });
  await http()
    .patch(`/users/${user.body.id}`)
    .set(as(app.adminToken))
    .send({ roles: ['admin'] })
    .expect(400);
  const session = (
    await http().post('/auth/login').send({ email: 'anna@alfreds.example', password }).expect(200)
  ).body.token;
  expect((await http().get('/partner/v1/orders').set(as(session)).expect(200)).body.items).toHaveLength(1);
  await http().get('/customers').set(as(session)).expect(403);
  await http().get('/partner/v1/cases').set(as(session)).expect(200); // the partner role has cases:read
});

it("a partner's OAuth client reads the partner API; disabling the partner refuses every credential at once", async () => {
  const client = (
    await http()
      .post('/oauth-clients')
      .set(as(app.adminToken))
      .send({ name: 'alfreds tms', scopes: ['shipments:read'], partnerId: ids.partner })
      .expect(201)
  ).body;
  expect(client.partnerId).toBe(ids.partner);
  const askToken = () =>
    http().post('/oauth/token').send({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
  const token = (await askToken().expect(200)).body.access_token;
  await http().get('/partner/v1/shipments').set(as(token)).expect(200);
  await http().get('/partner/v1/orders').set(as(token)).expect(403);
  await http().get('/customers').set(as(token)).expect(403);

  await http()
    .patch(`/partners/${ids.partner}`)
    .set(as(app.adminToken))
    .send({ status: 'disabled' })
    .expect(200);
  await http().get('/partner/v1/orders').set(as(key)).expect(401);
  await http().get('/partner/v1/shipments').set(as(token)).expect(401);
  await askToken().expect(401);
  await http()
    .post('/auth/login')
    .send({ email: 'anna@alfreds.example', password: 'partner portal password 1' })
    .expect(401);
  await http()
    .post('/api-keys')
    .set(as(app.adminToken))
    .send({ name: 'more', scopes: ['orders:read'], partnerId: ids.partner })
    .expect(400);
  await http()
    .patch(`/partners/${ids.partner}`)
    .set(as(app.adminToken))
    .send({ status: 'active' })
    .expect(200);
  await http().get('/partner/v1/orders').set(as(key)).expect(200);
});

it('relinking its customers moves what it sees at once, audited with before and after', async () => {
  await http()
    .put(`/partners/${ids.partner}/customers`)
    .set(as(app.adminToken))
    .send({ customerIds: [ids.bonap] })
    .expect(200);
  const orders = await http().get('/partner/v1/orders').set(as(key)).expect(200);
  expect(orders.body.items.map((o: { id: string }) => o.id)).toEqual([ids.bonapOrder]);
  await http().get(`/partner/v1/orders/${ids.alfkiOrder}`).set(as(key)).expect(404);
  const rows = await app.db.sql<{ before: unknown; after: unknown }>(
    `SELECT before, after FROM audit_log WHERE target_type = 'partner' AND target_id = $1 ORDER BY id`,
    [ids.partner],
  );
  expect(rows).toContainEqual({ before: { customerIds: [ids.alfki] }, after: { customerIds: [ids.bonap] } });
  expect(rows).toContainEqual({ before: { status: 'active' }, after: { status: 'disabled' } });
});
