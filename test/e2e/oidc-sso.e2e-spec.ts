/**
 * Staff single sign-on against a real OpenID Connect provider (oidc-provider on 127.0.0.1, its own
 * process) with the compiled API on PostgreSQL, authentication required: the browser is sent to the
 * provider, logs in there, comes back with a code; the API exchanges it (PKCE, state, nonce), maps
 * the provider's groups to roles, opens a cookie session and lands on returnTo. A user whose groups
 * map to no role is refused; a replayed callback is refused; and a client-credentials token with
 * orders:read reads orders but is refused a mutation, against the same running API.
 * Real: the api process, PostgreSQL, the OIDC provider, HTTP. Mocked: nothing.
 */
import { SecretBox } from '@tradelane/access';
import {
  AppProcess,
  createTestDatabase,
  ensureBuilt,
  freePort,
  startApp,
  TestDatabase,
  testServices,
  waitFor,
} from '@tradelane/testing';
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

jest.setTimeout(180_000);

const SECRET = 'oidc-client-secret-for-the-test-0123456789';
const PASSWORD = 'correct horse battery staple';
let database: TestDatabase;
let idp: ChildProcess;
let api: AppProcess;
let base: string;
let issuer: string;
const idpLog: string[] = [];

/** A browser: cookies per host, redirects followed by hand, the provider's log-in and consent forms filled. */
class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  private cookieHeader(url: URL): string {
    return [...(this.jar.get(url.host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(url: URL, res: Response): void {
    const jar = this.jar.get(url.host) ?? new Map<string, string>();
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const value = pair.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(pair.slice(0, i));
      else jar.set(pair.slice(0, i), value);
    }
    this.jar.set(url.host, jar);
  }

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name);
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const u = new URL(url);
    const res = await fetch(u, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookieHeader(u) },
    });
    this.keep(u, res);
    return res;
  }

  /** Follows redirects and the provider's forms (log in as `login`, consent) until a page of `stopHost`. */
  async signIn(start: string, login: string, stopHost: string): Promise<{ url: string; res: Response }> {
    let url = start;
    for (let step = 0; step < 20; step++) {
      const res = await this.request(url);
      const u = new URL(url);
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location') as string, u).toString();
        const next = new URL(url);
        if (next.host === stopHost && !next.pathname.startsWith('/auth/oidc/')) return { url, res };
        continue;
      }
      if (u.pathname.startsWith('/auth/oidc/')) return { url, res }; // our answer (a refusal)
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      if (!action || !prompt)
        throw new Error(`unexpected page at ${url} (${res.status}): ${html.slice(0, 300)}`);
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
      const posted = await this.request(new URL(action, u).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      url = new URL(posted.headers.get('location') as string, u).toString();
    }
    throw new Error('the sign-in did not finish in 20 steps');
  }
}

beforeAll(async () => {
  ensureBuilt();
  const idpPort = await freePort();
  const apiPort = await freePort();
  base = `http://127.0.0.1:${apiPort}`;
  issuer = `http://127.0.0.1:${idpPort}`;
  idp = spawn(
    process.execPath,
    [
      path.join(__dirname, 'support/oidc-provider.mjs'),
      String(idpPort),
      `${base}/auth/oidc/callback`,
      SECRET,
    ],
    {
      env: {
        ...process.env,
        OIDC_ACCOUNTS: JSON.stringify({
          alice: { email: 'alice@acme.example', name: 'Alice Admin', groups: ['it-admins'] },
          bob: { email: 'bob@acme.example', groups: ['service-desk', 'everyone'] },
          eve: { email: 'eve@acme.example', groups: ['everyone'] },
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    idp.stdout?.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    idp.once('exit', (code) => reject(new Error(`the OIDC provider exited with ${code}`)));
  });
  database = await createTestDatabase(testServices().databaseUrl, 'oidc');
  api = startApp('api', {
    PORT: String(apiPort),
    DATABASE_URL: database.config.url as string,
    AMQP_URL: testServices().amqpUrl,
    TRADELANE_AUTH: 'required',
    TRADELANE_SAMPLE: 'off',
    TRADELANE_ADMIN_PASSWORD: PASSWORD,
    TRADELANE_SECRET_KEYS: SecretBox.generateKeySpec('k1'),
    TRADELANE_OIDC_ISSUER: issuer,
    TRADELANE_OIDC_CLIENT_ID: 'tradelane',
    TRADELANE_OIDC_CLIENT_SECRET: SECRET,
    TRADELANE_OIDC_REDIRECT_URI: `${base}/auth/oidc/callback`,
    TRADELANE_OIDC_SCOPES: 'openid email profile groups',
    TRADELANE_OIDC_ROLE_MAP: 'it-admins=admin,service-desk=agent',
  });
  await waitFor(async () => (await fetch(`${base}/health`).catch(() => undefined))?.ok, {
    timeoutMs: 90_000,
    what: 'the api',
  }).catch((e) => {
    throw new Error(`${(e as Error).message}\n${api.output()}`);
  });
});

afterAll(async () => {
  api?.child.kill('SIGTERM');
  await api?.exited;
  idp?.kill('SIGTERM');
  await database?.drop();
});

it('logs a staff user in through the identity provider, its groups mapped to roles, into a cookie session', async () => {
  const browser = new Browser();
  const host = new URL(base).host;
  const { url } = await browser.signIn(`${base}/auth/oidc/login?returnTo=/customers`, 'alice', host);
  if (url !== `${base}/customers`)
    throw new Error(`sign-in ended at ${url}; the provider said: ${idpLog.join('')}`);
  const session = browser.cookie(host, 'tl_session');
  expect(session).toMatch(/^tl_ses_/);
  const me = await browser.request(`${base}/auth/me`);
  expect(me.status).toBe(200);
  expect(await me.json()).toMatchObject({ kind: 'user', name: 'alice@acme.example', roles: ['admin'] });
  // A change needs the CSRF token next to the cookie.
  const csrf = browser.cookie(host, 'tl_csrf') as string;
  expect((await browser.request(`${base}/kpis/refresh`, { method: 'POST' })).status).toBe(403);
  expect(
    (await browser.request(`${base}/kpis/refresh`, { method: 'POST', headers: { 'x-csrf-token': csrf } }))
      .status,
  ).toBeLessThan(300);

  const bob = new Browser();
  await bob.signIn(`${base}/auth/oidc/login`, 'bob', host);
  const bobMe = (await (await bob.request(`${base}/auth/me`)).json()) as { roles: string[] };
  expect(bobMe.roles).toEqual(['agent']);
  expect((await bob.request(`${base}/connector-instances`)).status).toBe(403);
});

it('refuses a user whose groups grant no role, a replayed callback, and a foreign returnTo', async () => {
  const host = new URL(base).host;
  const eve = new Browser();
  const { res } = await eve.signIn(`${base}/auth/oidc/login`, 'eve', 'never-reached');
  expect(res.status).toBe(403);
  expect(await res.text()).toContain('none of your groups (everyone) grants a role');
  expect(eve.cookie(host, 'tl_session')).toBeUndefined();

  // The callback URL of a finished sign-in, sent again: its state is spent.
  const replay = new Browser();
  let callback = '';
  let url = `${base}/auth/oidc/login`;
  for (let i = 0; i < 20 && !callback; i++) {
    const r = await replay.request(url);
    const next = r.headers.get('location');
    if (next && new URL(next, url).pathname === '/auth/oidc/callback')
      callback = new URL(next, url).toString();
    else if (next) url = new URL(next, url).toString();
    else {
      const html = await r.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] as string;
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1] as string;
      const posted = await replay.request(new URL(action, url).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(
          prompt === 'login' ? { prompt, login: 'alice', password: 'x' } : { prompt },
        ).toString(),
      });
      url = new URL(posted.headers.get('location') as string, url).toString();
    }
  }
  expect((await replay.request(callback)).status).toBe(302);
  const again = await new Browser().request(callback);
  expect(again.status).toBe(401);

  const offsite = new Browser();
  const { url: landed } = await offsite.signIn(
    `${base}/auth/oidc/login?returnTo=//evil.example/x`,
    'alice',
    host,
  );
  expect(landed).toBe(`${base}/`);
});

it('serves a client-credentials token with orders:read: reads orders, refused a mutation', async () => {
  const login = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@localhost', password: PASSWORD }),
  });
  const admin = ((await login.json()) as { token: string }).token;
  const made = await fetch(`${base}/oauth-clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({ name: 'ERP', scopes: ['orders:read'] }),
  });
  const client = (await made.json()) as { clientId: string; clientSecret: string };
  const tokenRes = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  expect(tokenRes.status).toBe(200);
  const { access_token: token } = (await tokenRes.json()) as { access_token: string };
  const orders = await fetch(`${base}/customers/0190a4f0-0000-7000-8000-000000000000/orders`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(orders.status).toBe(404); // allowed: the customer does not exist
  const change = await fetch(`${base}/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(change.status).toBe(403);
});
