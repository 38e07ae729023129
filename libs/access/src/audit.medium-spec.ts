/**
 * The audit log over real PostgreSQL and the whole app: each kind of change a person makes writes
 * one row with actor, tenant, action, target, where from, and before / after (secrets masked):
 * log-ins and failed log-ins, service agreements, role changes, API keys, connector instances,
 * merges and unmerges, redrives. The table refuses UPDATE and DELETE. Only `audit:read` reads it.
 * Real: PostgreSQL, the app (the product's composition, authentication required). Mocked: nothing.
 */
import { SecretBox } from '@tradelane/connector-host';
import {
  AppWithAdmin,
  CustomerEventFactory,
  TEST_PASSWORD,
  bootAppWithAdmin,
  publishAndSettle,
} from '@tradelane/testing';
import request from 'supertest';

jest.setTimeout(120_000);

const PASSWORD = TEST_PASSWORD;
let app: AppWithAdmin;
let admin: string;

const http = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });

interface Row {
  actor_kind: string;
  actor_name: string;
  action: string;
  target_id: string | null;
  route: string | null;
  ip: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The rows written since `since` (an id), oldest first. */
async function rowsSince(since: string): Promise<Row[]> {
  return app.db.sql<Row>(`SELECT * FROM audit_log WHERE id > $1 ORDER BY id`, [since]);
}
async function lastId(): Promise<string> {
  const [r] = await app.db.sql<{ id: string | null }>(`SELECT max(id)::text AS id FROM audit_log`);
  return r.id ?? '0';
}

beforeAll(async () => {
  process.env.TRADELANE_OUTBOUND_ALLOW = 'loopback'; // the instance below names a local system
  process.env.TRADELANE_SECRET_KEYS = SecretBox.generateKeySpec('k1'); // and has secrets to seal
  app = await bootAppWithAdmin('audit');
  admin = app.adminToken;
});

afterAll(async () => {
  delete process.env.TRADELANE_OUTBOUND_ALLOW;
  delete process.env.TRADELANE_SECRET_KEYS;
  await app?.close();
});

it('records log-ins and failed log-ins with where they came from, never the password', async () => {
  const since = await lastId();
  await http()
    .post('/auth/login')
    .set('user-agent', 'audit-test')
    .send({ email: 'admin@localhost', password: 'nope' })
    .expect(401);
  await http().post('/auth/login').send({ email: 'ghost@example.com', password: 'nope' }).expect(401);
  await http().post('/auth/login').send({ email: 'admin@localhost', password: PASSWORD }).expect(200);
  const rows = await rowsSince(since);
  expect(rows.map((r) => [r.action, r.actor_name])).toEqual([
    ['auth.login-failed', 'admin@localhost'],
    ['auth.login-failed', 'ghost@example.com'],
    ['auth.login', 'admin@localhost'],
  ]);
  expect(rows[0].ip).toMatch(/127\.0\.0\.1/);
  expect(JSON.stringify(rows)).not.toContain('nope');
  expect(JSON.stringify(rows)).not.toContain(PASSWORD);
});

it('records a service agreement with what it was before and after', async () => {
  const since = await lastId();
  await http()
    .put('/agreements/tiers/gold')
    .set(as(admin))
    .send({ targets: { on_time_delivery: 0.97 } })
    .expect(200);
  await http()
    .put('/agreements/tiers/gold')
    .set(as(admin))
    .send({ targets: { on_time_delivery: 0.99 } })
    .expect(200);
  const rows = await rowsSince(since);
  expect(rows).toHaveLength(2);
  expect(rows[0]).toMatchObject({
    actor_kind: 'user',
    actor_name: 'admin@localhost',
    action: 'agreement.set-tier',
    target_id: 'gold',
  });
  expect(rows[0].before).toBeNull();
  expect(rows[0].after).toMatchObject({ targets: { on_time_delivery: 0.97 } });
  expect(rows[1].before).toMatchObject({ targets: { on_time_delivery: 0.97 } });
  expect(rows[1].after).toMatchObject({ targets: { on_time_delivery: 0.99 } });
});

it('records users, role changes and API keys (the key masked), and whoever made them', async () => {
  const since = await lastId();
  const user = await http()
    .post('/users')
    .set(as(admin))
    .send({ email: 'ops@example.com', password: PASSWORD, roles: ['agent'] })
    .expect(201);
  await http()
    .patch(`/users/${user.body.id}`)
    .set(as(admin))
    .send({ roles: ['analyst', 'agent'] })
    .expect(200);
  const key = await http()
    .post('/api-keys')
    .set(as(admin))
    .send({ name: 'export', scopes: ['orders:read'] })
    .expect(201);
  await http().delete(`/api-keys/${key.body.id}`).set(as(admin)).expect(204);
  const rows = await rowsSince(since);
  expect(rows.map((r) => r.action)).toEqual([
    'access.create-user',
    'access.update-user',
    'access.create-api-key',
    'access.revoke-api-key',
  ]);
  expect(rows[0].after).toMatchObject({ email: 'ops@example.com', roles: ['agent'] });
  expect(JSON.stringify(rows[0])).not.toContain(PASSWORD);
  expect(rows[1]).toMatchObject({
    target_id: user.body.id,
    before: { roles: ['agent'] },
    after: { roles: ['analyst', 'agent'] },
  });
  expect(JSON.stringify(rows)).not.toContain(key.body.token);
  expect(rows[2].after).toMatchObject({ name: 'export', scopes: ['orders:read'] });
  expect(rows[3].target_id).toBe(key.body.id);
});

it('records connector instances with their settings, secrets masked', async () => {
  const since = await lastId();
  const added = await http()
    .post('/connector-instances')
    .set(as(admin))
    .send({
      connector: 'example-http',
      name: 'audit',
      config: {
        baseUrl: 'http://127.0.0.1:9/shop',
        apiToken: 'tok-very-secret-123',
        webhookSecret: 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0',
      },
    })
    .expect(201);
  await http()
    .post(`/connector-instances/${added.body.id}/pause`)
    .set(as(admin))
    .expect((r) => expect(r.status).toBeLessThan(300));
  const rows = await rowsSince(since);
  expect(rows.map((r) => r.action)).toEqual(['connector-instance.add', 'connector-instance.pause']);
  expect(rows[1].target_id).toBe(added.body.id);
  const text = JSON.stringify(rows);
  expect(text).toContain('127.0.0.1:9/shop');
  expect(text).not.toContain('tok-very-secret-123');
  expect(text).not.toContain('c2VjcmV0c2VjcmV0c2VjcmV0');
});

it('records a merge and its undoing with both customers, and a redrive with its result', async () => {
  const a = CustomerEventFactory.create({ name: 'Audit One' });
  const b = CustomerEventFactory.create({ name: 'Audit Two' });
  await publishAndSettle(app, [a, b]);
  const found = await http().get('/customers?q=Audit').set(as(admin)).expect(200);
  const [one, two] = found.body.items as { id: string }[];
  const since = await lastId();
  const merged = await http()
    .post(`/customers/${one.id}/merge`)
    .set(as(admin))
    .send({ customerId: two.id, reason: 'same company' })
    .expect(200);
  await http().post(`/merges/${merged.body.id}/unmerge`).set(as(admin)).send({}).expect(200);
  await http().post('/dead-letters/redrive').set(as(admin)).send({ type: 'erp.nothing.v1' }).expect(200);
  const rows = await rowsSince(since);
  expect(rows.map((r) => r.action)).toEqual(['merge.merge', 'merge.unmerge', 'ops.redrive']);
  expect(rows[0]).toMatchObject({
    target_id: one.id,
    before: { survivor: { id: one.id, status: 'active' }, merged: { id: two.id, status: 'active' } },
  });
  expect(rows[0].after).toMatchObject({ mergeId: merged.body.id, survivorId: one.id, mergedId: two.id });
  expect(rows[1]).toMatchObject({
    before: { mergeId: merged.body.id, mergedStatus: 'merged' },
    after: { mergedStatus: 'active' },
  });
  expect(rows[2].after).toMatchObject({ request: { type: 'erp.nothing.v1' } });
});

it('is append-only, and readable only with audit:read, filtered and paged', async () => {
  await expect(app.db.sql(`UPDATE audit_log SET actor_name = 'someone else'`)).rejects.toThrow(/append-only/);
  await expect(app.db.sql(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  const page = await http().get('/audit?action=auth.&limit=2').set(as(admin)).expect(200);
  expect(page.body.items).toHaveLength(2);
  expect(page.body.items.every((r: { action: string }) => r.action.startsWith('auth.'))).toBe(true);
  const next = await http()
    .get(`/audit?action=auth.&limit=2&cursor=${page.body.nextCursor}`)
    .set(as(admin))
    .expect(200);
  expect(Number(next.body.items[0].id)).toBeLessThan(Number(page.body.items[1].id));
  const agent = (
    await http().post('/auth/login').send({ email: 'ops@example.com', password: PASSWORD }).expect(200)
  ).body.token;
  await http().get('/audit').set(as(agent)).expect(403);
});
