/**
 * The CLI against a server that requires log-in, over real HTTP: with an OAuth client
 * (TRADELANE_CLIENT_ID / TRADELANE_CLIENT_SECRET) it gets an access token by client credentials and
 * its commands pass; with a wrong secret it says the client was refused; with nothing, the server
 * answers 401 (it is not the embedded trial on this machine).
 * Real: PostgreSQL, the app listening on a port, the CLI's HTTP backend. Mocked: nothing.
 */
import { SecretBox } from '@tradelane/access';
import { AppWithAdmin, bootAppWithAdmin } from '@tradelane/testing';
import request from 'supertest';
import { apiBackend } from './cli.backend';

jest.setTimeout(120_000);

let app: AppWithAdmin;
let base = '';
let client: { clientId: string; clientSecret: string };
const KEYS = ['TRADELANE_TOKEN', 'TRADELANE_CLIENT_ID', 'TRADELANE_CLIENT_SECRET'] as const;

beforeAll(async () => {
  process.env.TRADELANE_SECRET_KEYS = SecretBox.generateKeySpec('k1'); // seals the signing keys
  app = await bootAppWithAdmin('cli-credentials', { consume: false });
  await app.app.listen(0, '127.0.0.1');
  base = await app.app.getUrl();
  client = (
    await request(app.app.getHttpServer())
      .post('/oauth-clients')
      .set({ authorization: `Bearer ${app.adminToken}` })
      .send({ name: 'ops CLI', scopes: ['connectors:read'] })
      .expect(201)
  ).body;
});

afterEach(() => {
  for (const k of KEYS) delete process.env[k];
});

afterAll(async () => {
  delete process.env.TRADELANE_SECRET_KEYS;
  await app?.close();
});

it('authenticates as an OAuth client (client credentials) and reuses its token', async () => {
  process.env.TRADELANE_CLIENT_ID = client.clientId;
  process.env.TRADELANE_CLIENT_SECRET = client.clientSecret;
  // Counts the token requests the CLI makes (the calls still go to the real server).
  const real = global.fetch;
  let grants = 0;
  global.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    if (String(input).endsWith('/oauth/token')) grants++;
    return real(input, init);
  }) as typeof fetch;
  try {
    const cli = apiBackend(base);
    const connectors = await cli.installed();
    expect(connectors.map((c) => c.id)).toContain('example-http');
    await cli.installed();
    expect(grants).toBe(1); // one token for both commands
  } finally {
    global.fetch = real;
  }
});

it('says when the client is refused, and the server refuses a CLI without credentials', async () => {
  process.env.TRADELANE_CLIENT_ID = client.clientId;
  process.env.TRADELANE_CLIENT_SECRET = 'tls_wrong';
  await expect(apiBackend(base).installed()).rejects.toThrow(
    /OAuth client tlc_[0-9a-f]+ was refused: invalid_client/,
  );
  delete process.env.TRADELANE_CLIENT_SECRET;
  await expect(apiBackend(base).installed()).rejects.toThrow(/go together/);
  delete process.env.TRADELANE_CLIENT_ID;
  await expect(apiBackend(base).installed()).rejects.toThrow(/^401/);
});
