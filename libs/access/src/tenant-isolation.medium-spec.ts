/**
 * Tenant isolation in the API, over real PostgreSQL and the whole app with authentication required:
 * staff of one tenant list only their tenant's customers, cases, connector instances, dead letters
 * and merge proposals, and a record of another tenant is not found (404, so its existence does not
 * leak) by id, with every sub-resource. (Row-level security in the database comes next: see the
 * issue 16 note.) Real: PostgreSQL, the app, the in-process bus. Mocked: nothing.
 */
import { Envelope } from '@tradelane/contracts';
import {
  AppOnDatabase,
  bootAppOnNewDatabase,
  CustomerEventFactory,
  publishAndSettle,
} from '@tradelane/testing';
import request from 'supertest';
import { AccessService } from './access.service';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';
let app: AppOnDatabase;
let home: string; // staff of tenant default
let acme: string; // staff of tenant acme
const ids = { home: '', acme: '', homeCase: '' };

const http = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const ofTenant = <E extends Envelope>(e: E, tenant: string): E => ({ ...e, tenant });

beforeAll(async () => {
  process.env.TRADELANE_ADMIN_PASSWORD = PASSWORD;
  app = await bootAppOnNewDatabase('tenants', { auth: { mode: 'required' } });
  const access = app.app.get(AccessService);
  await access.ensureFirstAdmin();
  await access.createUser('acme', { email: 'ops@acme.example', password: PASSWORD, roles: ['admin'] });
  const logIn = async (email: string, tenant?: string) =>
    (await http().post('/auth/login').send({ email, password: PASSWORD, tenant }).expect(200)).body
      .token as string;
  home = await logIn('admin@localhost');
  acme = await logIn('ops@acme.example', 'acme');
  await publishAndSettle(app, [
    CustomerEventFactory.create({ name: 'Home Shipper' }),
    ofTenant(CustomerEventFactory.create({ name: 'Acme Shipper' }), 'acme'),
  ]);
  ids.home = (await http().get('/customers?q=Home').set(as(home)).expect(200)).body.items[0].id;
  ids.acme = (await http().get('/customers?q=Acme').set(as(acme)).expect(200)).body.items[0].id;
  ids.homeCase = (
    await http()
      .post('/cases')
      .set(as(home))
      .send({ customerId: ids.home, type: 'damage', subject: 'damaged pallet' })
      .expect(201)
  ).body.id;
});

afterAll(async () => {
  delete process.env.TRADELANE_ADMIN_PASSWORD;
  await app?.close();
});

it("lists only the caller's tenant", async () => {
  const names = async (token: string) =>
    ((await http().get('/customers').set(as(token)).expect(200)).body.items as { name: string }[]).map(
      (c) => c.name,
    );
  expect(await names(home)).toEqual(['Home Shipper']);
  expect(await names(acme)).toEqual(['Acme Shipper']);
  const cases = await http().get('/cases').set(as(acme)).expect(200);
  expect(cases.body.items ?? cases.body).toEqual([]);
  expect((await http().get('/cases').set(as(home)).expect(200)).body.total).toBe(1);
});

it("answers 404 for another tenant's customer, its sub-resources and its cases, as for an id that does not exist", async () => {
  for (const path of [
    `/customers/${ids.home}`,
    `/customers/${ids.home}/identities`,
    `/customers/${ids.home}/orders`,
    `/customers/${ids.home}/deliveries`,
    `/customers/${ids.home}/invoices`,
    `/customers/${ids.home}/timeline`,
    `/customers/${ids.home}/kpis`,
    `/customers/${ids.home}/agreement`,
    `/customers/${ids.home}/satisfaction`,
    `/cases/${ids.homeCase}`,
  ]) {
    const res = await http().get(path).set(as(acme));
    if (res.status !== 404) throw new Error(`${path} answered ${res.status} to another tenant`);
  }
  await http().get(`/customers/${ids.acme}`).set(as(acme)).expect(200);
  await http().get(`/customers/${ids.home}`).set(as(home)).expect(200);
  // Nor can it change them.
  await http()
    .post('/cases')
    .set(as(acme))
    .send({ customerId: ids.home, type: 'damage', subject: 'not yours' })
    .expect(404);
  await http().post(`/customers/${ids.acme}/merge`).set(as(acme)).send({ customerId: ids.home }).expect(404);
  await http()
    .put(`/customers/${ids.home}/costs`)
    .set(as(acme))
    .send({ entries: [{ month: '2026-01', amount: 1 }] })
    .expect(404);
  await http().put(`/customers/${ids.home}/agreement`).set(as(acme)).send({ settings: {} }).expect(404);
  await http().post(`/cases/${ids.homeCase}/transition`).set(as(acme)).send({ to: 'open' }).expect(404);
  await http()
    .post(`/cases/${ids.homeCase}/messages`)
    .set(as(acme))
    .send({ visibility: 'internal', author: 'x', body: 'y' })
    .expect(404);
});

it('keeps connector instances and dead letters to their tenant', async () => {
  const mapping = { records: [{ type: 'customer.upserted', fields: { externalId: 'id', name: 'name' } }] };
  const added = await http()
    .post('/connector-instances')
    .set(as(home))
    .send({ connector: 'file-import', name: 'home', config: { mapping } })
    .expect(201);
  const list = async (token: string) =>
    ((await http().get('/connector-instances').set(as(token)).expect(200)).body as { id: string }[]).map(
      (i) => i.id,
    );
  expect(await list(home)).toContain(added.body.id);
  expect(await list(acme)).not.toContain(added.body.id);
  await http().get(`/connector-instances/${added.body.id}`).set(as(acme)).expect(404);
  await http().post(`/connector-instances/${added.body.id}/pause`).set(as(acme)).expect(404);
  // Its unsigned upload channel takes a push from its own tenant's staff only.
  const csv = 'id,name\nX1,Pushed\n';
  await http()
    .post(`/webhooks/${added.body.id}/upload`)
    .set(as(acme))
    .set('content-type', 'text/csv')
    .send(csv)
    .expect(404);
  await http()
    .post(`/webhooks/${added.body.id}/upload`)
    .set(as(home))
    .set('content-type', 'text/csv')
    .send(csv)
    .expect(202);
  const dead = await http().get('/dead-letters').set(as(acme)).expect(200);
  expect(
    dead.body.items.every((d: { tenant?: string }) => d.tenant === undefined || d.tenant === 'acme'),
  ).toBe(true);
});
