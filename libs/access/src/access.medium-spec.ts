/**
 * Identity and access over real PostgreSQL with authentication required: every route the router
 * registers declares a permission and answers 401 without credentials; a route without one stops
 * the app at boot; log-in with lockout; sessions, API keys with scopes, revocation at once; roles;
 * a token of another tenant, a forged, malformed or expired one; an unsigned webhook channel asks
 * for a credential; the local administrator of the embedded trial only for this machine.
 * Real: PostgreSQL, the whole app (the product's composition), HTTP through supertest. Mocked: nothing.
 */
import { Controller, Get } from '@nestjs/common';
import {
  AppOnDatabase,
  bootAppOnNewDatabase,
  bootTestApp,
  createTestDatabase,
  testServices,
} from '@tradelane/testing';
import request from 'supertest';
import { AccessService } from './access.service';
import { RoutePermissions } from './route-permissions';

jest.setTimeout(120_000);

const ANY_ID = '0190a4f0-0000-7000-8000-000000000000';
const PASSWORD = 'correct horse battery staple';

let app: AppOnDatabase;
let adminToken: string;

const http = () => request(app.app.getHttpServer());
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function logIn(email: string, password: string) {
  return http().post('/auth/login').send({ email, password });
}

beforeAll(async () => {
  process.env.TRADELANE_ADMIN_PASSWORD = PASSWORD;
  app = await bootAppOnNewDatabase('access', {
    consume: false,
    auth: { mode: 'required', lockoutAfter: 3, lockoutBaseMs: 1_500 },
  });
  expect(await app.app.get(AccessService).ensureFirstAdmin()).toBe(PASSWORD);
  const res = await logIn('admin@localhost', PASSWORD).expect(200);
  adminToken = res.body.token;
});

afterAll(async () => {
  delete process.env.TRADELANE_ADMIN_PASSWORD;
  await app?.close();
});

/** Every route Express has, as the Nest router registered it. */
function registeredRoutes(): { method: string; path: string }[] {
  const express = app.app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  return express.router.stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods).map((m) => ({ method: m.toUpperCase(), path: layer.route!.path }))
      : [],
  );
}

it('walks every registered route: each declares a permission, and without credentials each answers 401 but the public ones', async () => {
  const declared = app.app.get(RoutePermissions).routes();
  const registered = registeredRoutes();
  expect(registered.length).toBeGreaterThan(60);
  const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
  const byKey = new Map(declared.map((r) => [key(r), r]));
  const unknown = registered.filter((r) => !byKey.has(key(r)));
  expect(unknown).toEqual([]); // the walk sees exactly the routes the check saw
  const publicRoutes: string[] = [];
  for (const r of registered) {
    const d = byKey.get(key(r))!;
    expect(d.permission).toBeTruthy();
    if (d.permission === 'public') {
      publicRoutes.push(key(r));
      continue;
    }
    const path = r.path.replace(/:[A-Za-z]+/g, ANY_ID);
    const res = await http()[r.method.toLowerCase() as 'get'](path).send({});
    if (res.status !== 401) throw new Error(`${key(r)} answered ${res.status} without credentials`);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="tradelane"');
  }
  expect(publicRoutes.sort()).toEqual([
    'GET /.well-known/jwks.json',
    'GET /auth/oidc/callback',
    'GET /auth/oidc/login',
    'GET /health',
    'GET /metrics',
    'POST /auth/login',
    'POST /auth/password-reset',
    'POST /oauth/token',
    'POST /webhooks/:instance/:channel',
  ]);
});

it('refuses to start an app with a route that declares no permission, naming it', async () => {
  @Controller('forgotten')
  class ForgottenController {
    @Get()
    list() {
      return [];
    }
  }
  const database = await createTestDatabase(testServices().databaseUrl, 'access-forgotten');
  try {
    await expect(
      bootTestApp({ database: database.config, consume: false, controllers: [ForgottenController] }),
    ).rejects.toThrow(/GET \/forgotten \(ForgottenController\.list\)/);
  } finally {
    await database.drop();
  }
});

it('logs in, stores only an Argon2id hash and token hashes, and a session reaches what its roles allow', async () => {
  const me = await http().get('/auth/me').set(bearer(adminToken)).expect(200);
  expect(me.body).toMatchObject({
    kind: 'user',
    tenant: 'default',
    name: 'admin@localhost',
    roles: ['admin'],
  });
  expect(me.body.permissions).toContain('users:admin');
  await http().get('/customers').set(bearer(adminToken)).expect(200);
  const [user] = await app.db.sql<{ password_hash: string }>(
    `SELECT password_hash FROM auth_user WHERE email = 'admin@localhost'`,
  );
  expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect(user.password_hash).not.toContain(PASSWORD);
  const stored = await app.db.sql<{ hash: string; prefix: string }>(`SELECT hash, prefix FROM auth_token`);
  expect(stored.map((t) => t.hash)).not.toContain(adminToken);
  expect(stored.every((t) => /^[0-9a-f]{64}$/.test(t.hash))).toBe(true);
  expect(stored.filter((t) => adminToken.startsWith(t.prefix))).toHaveLength(1);
});

it('locks an account after repeated failures, with the same answer as a wrong password, then lets it in again', async () => {
  await http()
    .post('/users')
    .set(bearer(adminToken))
    .send({ email: 'Agent@Example.com', password: PASSWORD, roles: ['agent'] })
    .expect(201);
  const unknown = await logIn('nobody@example.com', PASSWORD).expect(401);
  for (let i = 0; i < 3; i++) await logIn('agent@example.com', 'wrong password!').expect(401);
  const locked = await logIn('agent@example.com', PASSWORD).expect(401);
  expect(locked.body.message).toBe(unknown.body.message); // the answer does not tell locked from unknown
  const [row] = await app.db.sql<{ failed_logins: number; locked_until: Date | null }>(
    `SELECT failed_logins, locked_until FROM auth_user WHERE email = 'agent@example.com'`,
  );
  expect(row.failed_logins).toBe(3);
  expect(row.locked_until).not.toBeNull();
  await new Promise((r) => setTimeout(r, 1_600));
  const back = await logIn('agent@example.com', PASSWORD).expect(200);
  // An agent works cases but may not touch connectors or users.
  await http().get('/cases').set(bearer(back.body.token)).expect(200);
  await http().get('/connector-instances').set(bearer(back.body.token)).expect(403);
  await http().post('/users').set(bearer(back.body.token)).send({}).expect(403);
});

it('refuses forged, malformed, expired and revoked tokens with 401, and a disabled user at once', async () => {
  const forged = `tl_ses_${'0'.repeat(12)}_${'A'.repeat(43)}`;
  await http().get('/customers').set(bearer(forged)).expect(401);
  await http().get('/customers').set(bearer('not-a-token')).expect(401);
  await http().get('/customers').set({ authorization: 'Basic YWRtaW46YWRtaW4=' }).expect(401);
  await http().get('/customers').set({ 'x-api-key': forged }).expect(401);
  // A JWT-looking token with alg none is not ours: refused without a lookup.
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.`;
  await http().get('/customers').set(bearer(none)).expect(401);

  const viewer = await http()
    .post('/users')
    .set(bearer(adminToken))
    .send({ email: 'viewer@example.com', password: PASSWORD, roles: ['viewer'] })
    .expect(201);
  const session = (await logIn('viewer@example.com', PASSWORD).expect(200)).body.token as string;
  await http().get('/customers').set(bearer(session)).expect(200);
  await http().post('/kpis/refresh').set(bearer(session)).expect(403);
  await app.db.sql(`UPDATE auth_token SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
    viewer.body.id,
  ]);
  await http().get('/customers').set(bearer(session)).expect(401);

  const again = (await logIn('viewer@example.com', PASSWORD).expect(200)).body.token as string;
  await http()
    .patch(`/users/${viewer.body.id}`)
    .set(bearer(adminToken))
    .send({ status: 'disabled' })
    .expect(200);
  await http().get('/customers').set(bearer(again)).expect(401);
  await logIn('viewer@example.com', PASSWORD).expect(401);

  const other = (await logIn('admin@localhost', PASSWORD).expect(200)).body.token as string;
  await http().post('/auth/logout').set(bearer(other)).expect(204);
  await http().get('/auth/me').set(bearer(other)).expect(401);
});

it('resets a password with a one-time token: once, before it expires, ending sessions and the lockout', async () => {
  const made = await http()
    .post('/users')
    .set(bearer(adminToken))
    .send({ email: 'reset@example.com', password: PASSWORD, roles: ['viewer'] })
    .expect(201);
  const session = (await logIn('reset@example.com', PASSWORD).expect(200)).body.token as string;
  const reset = await http()
    .post(`/users/${made.body.id}/password-reset`)
    .set(bearer(adminToken))
    .send({})
    .expect(201);
  const token = reset.body.token as string;
  expect(token).toMatch(/^tl_rst_/);
  await http().get('/customers').set(bearer(token)).expect(401); // not a bearer credential
  const fresh = 'a brand new passphrase';
  await http().post('/auth/password-reset').send({ token, password: fresh }).expect(204);
  await http().post('/auth/password-reset').send({ token, password: 'and once more!!' }).expect(401); // used
  await http().get('/customers').set(bearer(session)).expect(401); // sessions ended
  await logIn('reset@example.com', PASSWORD).expect(401);
  await logIn('reset@example.com', fresh).expect(200);
  const stale = await http()
    .post(`/users/${made.body.id}/password-reset`)
    .set(bearer(adminToken))
    .send({})
    .expect(201);
  await app.db.sql(`UPDATE auth_token SET expires_at = now() - interval '1 second' WHERE prefix = $1`, [
    (stale.body.token as string).split('_').slice(0, 3).join('_'),
  ]);
  await http()
    .post('/auth/password-reset')
    .send({ token: stale.body.token, password: 'too late, sorry' })
    .expect(401);
  await http()
    .post('/auth/password-reset')
    .send({ token: 'tl_rst_guess', password: 'a guess of a token' })
    .expect(401);
  const [row] = await app.db.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM auth_token WHERE hash = $1 OR prefix = $1`,
    [token],
  );
  expect(row.n).toBe(0); // only its hash is stored
});

it('gives the first administrator a one-time setup token beside the password', async () => {
  const other = await bootAppOnNewDatabase('access-setup', { consume: false, auth: { mode: 'required' } });
  try {
    const access = other.app.get(AccessService);
    const first = (await access.ensureFirstAdminWithSetup())!;
    expect(await access.ensureFirstAdminWithSetup()).toBeNull(); // once
    await request(other.app.getHttpServer())
      .post('/auth/password-reset')
      .send({ token: first.setupToken, password: 'my own admin passphrase' })
      .expect(204);
    await request(other.app.getHttpServer())
      .post('/auth/login')
      .send({ email: 'admin@localhost', password: 'my own admin passphrase' })
      .expect(200);
  } finally {
    await other.close();
  }
});

it('an API key acts within its scopes only, is shown once, and stops working the moment it is revoked', async () => {
  const made = await http()
    .post('/api-keys')
    .set(bearer(adminToken))
    .send({ name: 'nightly export', scopes: ['orders:read'] })
    .expect(201);
  const key = made.body.token as string;
  expect(key).toMatch(/^tl_key_[0-9a-f]{12}_/);
  await http().get(`/customers/${ANY_ID}/orders`).set({ 'x-api-key': key }).expect(404); // allowed: the customer does not exist
  await http().get('/customers').set(bearer(key)).expect(403);
  await http().post('/cases').set(bearer(key)).send({}).expect(403);
  const list = await http().get('/api-keys').set(bearer(adminToken)).expect(200);
  expect(JSON.stringify(list.body)).not.toContain(key);
  expect(list.body[0]).toMatchObject({
    name: 'nightly export',
    scopes: ['orders:read'],
    prefix: made.body.prefix,
  });
  await http().delete(`/api-keys/${made.body.id}`).set(bearer(adminToken)).expect(204);
  await http().delete(`/api-keys/${made.body.id}`).set(bearer(adminToken)).expect(404); // revoked already
  await http().get(`/customers/${ANY_ID}/orders`).set(bearer(key)).expect(401);
  // Nobody grants what it does not hold; unknown scopes are named.
  const scoped = await http()
    .post('/api-keys')
    .set(bearer(adminToken))
    .send({ name: 'reader', scopes: ['customers:read'] })
    .expect(201);
  await http()
    .post('/api-keys')
    .set(bearer(scoped.body.token))
    .send({ name: 'escalate', scopes: ['users:admin'] })
    .expect(403);
  const bad = await http()
    .post('/api-keys')
    .set(bearer(adminToken))
    .send({ name: 'x', scopes: ['root'] })
    .expect(400);
  expect(JSON.stringify(bad.body)).toContain('scopes');
});

it("refuses another tenant's data by ?tenant=, and an unsigned webhook channel without a credential", async () => {
  const res = await http().get('/cases?tenant=other').set(bearer(adminToken)).expect(403);
  expect(res.body.message).toContain('tenant default, not other');
  // file-import's upload channel is not signed: a push needs a credential with connectors:write.
  const mapping = {
    records: [{ type: 'customer.upserted', fields: { externalId: 'id', name: 'name' } }],
  };
  const added = await http()
    .post('/connector-instances')
    .set(bearer(adminToken))
    .send({ connector: 'file-import', name: 'upload', config: { mapping } })
    .expect(201);
  const id = added.body.id as string;
  const csv = 'id,name\nC1,Acme\n';
  await http().post(`/webhooks/${id}/upload`).set('content-type', 'text/csv').send(csv).expect(401);
  const analyst = await http()
    .post('/api-keys')
    .set(bearer(adminToken))
    .send({ name: 'reader', scopes: ['customers:read'] })
    .expect(201);
  await http()
    .post(`/webhooks/${id}/upload`)
    .set(bearer(analyst.body.token))
    .set('content-type', 'text/csv')
    .send(csv)
    .expect(403);
  await http()
    .post(`/webhooks/${id}/upload`)
    .set(bearer(adminToken))
    .set('content-type', 'text/csv')
    .send(csv)
    .expect(202);
});

it('gives a browser an httpOnly session cookie, and refuses a change made with it but without the CSRF token', async () => {
  const res = await http()
    .post('/auth/login')
    .send({ email: 'admin@localhost', password: PASSWORD, cookie: true })
    .expect(200);
  expect(res.body.token).toBeUndefined(); // page scripts never see the session
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const session = setCookie.find((c) => c.startsWith('tl_session='))!;
  const csrf = setCookie.find((c) => c.startsWith('tl_csrf='))!;
  expect(session).toMatch(/HttpOnly/);
  expect(session).toMatch(/SameSite=Lax/);
  expect(csrf).not.toMatch(/HttpOnly/);
  const cookies = [session, csrf].map((c) => c.split(';')[0]).join('; ');
  const token = res.body.csrfToken as string;
  expect(csrf).toContain(token);
  await http().get('/auth/me').set('cookie', cookies).expect(200);
  await http().post('/kpis/refresh').set('cookie', cookies).expect(403);
  await http()
    .post('/kpis/refresh')
    .set('cookie', cookies)
    .set('x-csrf-token', `${token.slice(1)}x`)
    .expect(403);
  await http()
    .post('/kpis/refresh')
    .set('cookie', cookies)
    .set('x-csrf-token', token)
    .expect((r) => expect(r.status).toBeLessThan(300));
  // A new log-in is a new session (no session id carried over); logging out ends this one.
  const again = await http()
    .post('/auth/login')
    .send({ email: 'admin@localhost', password: PASSWORD, cookie: true });
  expect(([] as string[]).concat(again.headers['set-cookie'] ?? []).join()).not.toContain(
    session.split(';')[0],
  );
  const out = await http().post('/auth/logout').set('cookie', cookies).set('x-csrf-token', token).expect(204);
  expect(([] as string[]).concat(out.headers['set-cookie'] ?? []).join()).toMatch(/tl_session=;/);
  await http().get('/auth/me').set('cookie', cookies).expect(401);
});

describe('the local administrator (TRADELANE_AUTH=local, the embedded trial)', () => {
  let local: AppOnDatabase;
  beforeAll(async () => {
    local = await bootAppOnNewDatabase('access-local', { consume: false, auth: { mode: 'local' } });
  });
  afterAll(() => local?.close());

  it('acts for requests from this machine only: not for a page of another site, and not with a bad token', async () => {
    const h = () => request(local.app.getHttpServer());
    const me = await h().get('/auth/me').expect(200);
    expect(me.body).toMatchObject({ kind: 'local', tenant: 'default' });
    await h().get('/customers').set('origin', 'http://localhost:5173').expect(200);
    await h().get('/customers').set('origin', 'https://evil.example').expect(401);
    await h().post('/kpis/refresh').set('origin', 'https://evil.example').expect(401);
    await h().get('/customers').set('host', 'tradelane.example.com').expect(401); // DNS rebinding
    await h().get('/customers').set(bearer('not-a-token')).expect(401);
  });
});

describe('hardening', () => {
  let limited: AppOnDatabase;
  beforeAll(async () => {
    process.env.TRADELANE_RATE_LIMIT_PER_MINUTE = '5';
    limited = await bootAppOnNewDatabase('access-limits', { consume: false, auth: { mode: 'required' } });
    delete process.env.TRADELANE_RATE_LIMIT_PER_MINUTE;
  });
  afterAll(() => limited?.close());

  it('limits requests per principal (429 with Retry-After): another principal keeps its own budget', async () => {
    const makeKey = async () =>
      (
        await limited.app
          .get(AccessService)
          .createApiKey(
            { ...(await import('./access.guard')).LOCAL_ADMIN },
            { name: 'limited', scopes: ['customers:read'] },
          )
      ).token;
    const key = await makeKey();
    const h = () => request(limited.app.getHttpServer());
    for (let i = 0; i < 5; i++) await h().get('/customers').set(bearer(key)).expect(200);
    const over = await h().get('/customers').set(bearer(key)).expect(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Health is public and another principal has its own budget: neither is refused.
    await h()
      .get('/health')
      .expect((r) => expect(r.status).not.toBe(429));
  });

  it('limits log-in attempts per address (30 a minute), whatever e-mail they try', async () => {
    const h = () => request(limited.app.getHttpServer());
    for (let i = 0; i < 30; i++)
      await h()
        .post('/auth/login')
        .send({ email: `guess${i}@example.com`, password: 'guess' })
        .expect(401);
    await h().post('/auth/login').send({ email: 'admin@localhost', password: 'guess' }).expect(429);
  });

  it('sends security headers, no CORS, and refuses an oversized body with 413 before reading it whole', async () => {
    const res = await http().get('/customers').set(bearer(adminToken)).expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    const preflight = await http()
      .options('/customers')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const big = { subject: 'x'.repeat(11 * 1024 * 1024) };
    await http().post('/cases').set(bearer(adminToken)).send(big).expect(413);
  });
});
