/**
 * Connector operations as an IT team runs them: the compiled CLI adds an example-http instance
 * against a real local HTTP source, checks it (ok, then auth after the source rotates its token),
 * shows status, pauses and resumes it, rotates the sealing key; the API shows the same instance.
 * Secrets are sealed at rest and appear in no output, log or API answer.
 * Real: PostgreSQL, the CLI process, the API module, an HTTP source on 127.0.0.1. Mocked: nothing.
 */
import { SecretBox } from '@tradelane/connector-host';
import { ExampleSource } from '@tradelane/example-http/testing';
import {
  bootTestApp,
  createTestDatabase,
  ensureBuilt,
  freePort,
  runCli,
  startApp,
  TestApp,
  TestDatabase,
  testServices,
} from '@tradelane/testing';
import * as net from 'node:net';
import request from 'supertest';

jest.setTimeout(180_000);

const TOKEN = 'demo-token-9f3a1c';
const services = testServices();
const key1 = SecretBox.generateKeySpec('k1');
const key2 = SecretBox.generateKeySpec('k2');
let keys = key1;
let database: TestDatabase;
let source: ExampleSource;
let baseUrl: string;
const outputs: string[] = [];

/** The compiled CLI, verbose; every output is kept to prove no secret is in any. */
async function cli(...args: string[]): Promise<{ code: number | null; out: string }> {
  const r = await runCli(
    {
      DATABASE_URL: database.url,
      TRADELANE_SECRET_KEYS: keys,
      TRADELANE_OUTBOUND_ALLOW: 'loopback',
      CLI_VERBOSE: '1',
    },
    ...args,
  );
  outputs.push(r.out);
  return r;
}

const config = (patch: Record<string, unknown> = {}) =>
  JSON.stringify({ baseUrl, apiToken: TOKEN, ...patch });

beforeAll(async () => {
  ensureBuilt();
  process.env.TRADELANE_OUTBOUND_ALLOW = 'loopback'; // the source runs on this machine
  database = await createTestDatabase(services.databaseUrl, 'connectors');
  source = new ExampleSource(TOKEN);
  source.seed(5);
  baseUrl = await source.start();
  expect((await cli('migrate')).code).toBe(0);
});

afterAll(async () => {
  await source?.stop();
  await database?.drop();
  // No output, log line or API answer of this suite ever contained the token.
  for (const out of outputs) expect(out).not.toContain(TOKEN);
});

it('adds, checks, reports, pauses and resumes an instance from the CLI', async () => {
  const bad = await cli(
    'connectors',
    'add',
    'example-http',
    '--name',
    'shop',
    '--config',
    config({ baseUrl: 'nope' }),
  );
  expect(bad.code).toBe(1);
  expect(bad.out).toContain('example-http: config.baseUrl: baseUrl must be a URL address');

  const add = await cli('connectors', 'add', 'example-http', '--name', 'shop', '--config', config());
  expect(add.code).toBe(0);
  expect(add.out).toContain('added example-http:shop');
  expect(add.out).toContain('"apiToken":"********"');
  const again = await cli('connectors', 'add', 'example-http', '--name', 'shop', '--config', config());
  expect(again.out).toContain('connector instance example-http:shop already exists');
  const [row] = await database.db.sql<{ settings: object; sealed_secrets: string }>(
    `SELECT settings, sealed_secrets FROM connector_instance WHERE id = 'example-http:shop'`,
  );
  expect(row.settings).toEqual({ baseUrl, pageSize: 100, timeoutMs: 10_000 });
  expect(row.sealed_secrets).toMatch(/^tlsb1:k1:/);
  expect(row.sealed_secrets).not.toContain(TOKEN);

  const ok = await cli('connectors', 'check', 'example-http:shop');
  expect(ok.code).toBe(0);
  expect(ok.out).toContain('example-http:shop: ok: reachable, source version 1.4.2');
  source.rotateToken('rotated-token-000');
  const denied = await cli('connectors', 'check', 'example-http:shop');
  expect(denied.code).toBe(2);
  expect(denied.out).toContain('example-http:shop: auth: GET /health: Request failed with status code 401');
  const status = await cli('connectors', 'status', 'example-http:shop', '--json');
  expect(JSON.parse(status.out.slice(status.out.indexOf('\n[') + 1))[0]).toMatchObject({
    id: 'example-http:shop',
    state: 'running',
    health: 'failing',
    lastCheck: { code: 'auth' },
  });
  source.rotateToken(TOKEN);

  expect((await cli('connectors', 'pause', 'example-http:shop')).out).toContain('example-http:shop: paused');
  expect((await cli('connectors', 'resume', 'example-http:shop')).out).toContain(
    'example-http:shop: running',
  );
  expect((await cli('connectors', 'check', 'nope:x')).out).toContain('connector instance nope:x not found');
});

it('rotates the sealing key without losing a secret', async () => {
  keys = `${key2},${key1}`;
  expect((await cli('secrets', 'rotate')).out).toContain('re-sealed 1 instance(s)');
  keys = key2; // the old key is gone
  expect((await cli('connectors', 'check', 'example-http:shop')).out).toContain('ok: reachable');
  expect((await cli('secrets', 'keygen', 'k3')).out).toMatch(/k3:[A-Za-z0-9+/]{43}=\n$/);
});

it('serves the same through the API, secrets never returned', async () => {
  process.env.TRADELANE_SECRET_KEYS = keys;
  const app: TestApp = await bootTestApp({
    database: database.config,
    consume: false,
  });
  try {
    const http = request(app.app.getHttpServer());
    const installed = await http.get('/connectors').expect(200);
    const example = installed.body.find((c: { id: string }) => c.id === 'example-http');
    expect(example).toMatchObject({ id: 'example-http', secrets: ['apiToken', 'webhookSecret'] });
    expect(example.configSchema.properties.apiToken).toMatchObject({
      writeOnly: true,
      'x-secret': true,
    });
    const list = await http.get('/connector-instances').expect(200);
    expect(list.body).toEqual([expect.objectContaining({ id: 'example-http:shop', health: 'ok' })]);
    const added = await http
      .post('/connector-instances')
      .send({
        connector: 'example-http',
        name: 'second',
        config: { baseUrl, apiToken: TOKEN },
        pollSeconds: 5,
      })
      .expect(201);
    expect(added.body.settings.apiToken).toBe('********');
    await http
      .post('/connector-instances')
      .send({ connector: 'erp-nope', name: 'x', config: {} })
      .expect(400);
    await http
      .post('/connector-instances')
      .send({ connector: 'example-http', name: 'Bad Name', config: {} })
      .expect(400);
    const check = await http.post('/connector-instances/example-http:second/check').expect(200);
    expect(check.body).toMatchObject({ ok: true, code: 'ok' });
    expect((await http.post('/connector-instances/example-http:second/pause').expect(200)).body.state).toBe(
      'paused',
    );
    await http.get('/connector-instances/example-http:missing').expect(404);
    outputs.push(JSON.stringify([installed.body, list.body, added.body, check.body]));
  } finally {
    await app.close();
    delete process.env.TRADELANE_SECRET_KEYS;
  }
});

it('without a key on PostgreSQL: a secret is refused with 503 naming the setting, and no process starts', async () => {
  delete process.env.TRADELANE_SECRET_KEYS;
  const app: TestApp = await bootTestApp({ database: database.config, consume: false });
  try {
    const refused = await request(app.app.getHttpServer())
      .post('/connector-instances')
      .send({ connector: 'example-http', name: 'third', config: { baseUrl, apiToken: TOKEN } })
      .expect(503);
    expect(refused.body.message).toMatch(/TRADELANE_SECRET_KEYS is not set/);
    expect(refused.body.message).toContain('npm run cli -- secrets keygen');
    outputs.push(JSON.stringify(refused.body));
  } finally {
    await app.close();
  }
  // The database holds sealed secrets (example-http:shop): a worker with no key refuses to start.
  const worker = startApp('worker', {
    DATABASE_URL: database.url,
    AMQP_URL: services.amqpUrl,
    WORKER_PORT: String(await freePort()),
  });
  const exit = await worker.exited;
  expect(exit.code).not.toBe(0);
  expect(worker.output()).toMatch(
    /connector instance\(s\) have sealed secrets \([^)]*example-http:shop[^)]*\) but no key is configured/,
  );
  outputs.push(worker.output());
});

it('answers a check of a closed port and of a port that is not HTTP with the same text (no port scanning)', async () => {
  const raw = net.createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n')).listen(0, '127.0.0.1');
  await new Promise((r) => raw.once('listening', r));
  const open = (raw.address() as net.AddressInfo).port;
  const closed = await freePort();
  const texts: string[] = [];
  for (const [name, port] of [
    ['closed', closed],
    ['not-http', open],
  ] as const) {
    await cli(
      'connectors',
      'add',
      'example-http',
      '--name',
      name,
      '--config',
      config({ baseUrl: `http://127.0.0.1:${port}` }),
    );
    const r = await cli('connectors', 'check', `example-http:${name}`);
    expect(r.code).toBe(2);
    // The answer line (this CLI runs verbose: its own log lines, with the detail, are the operator's).
    const answer = r.out.split('\n').find((l) => l.startsWith(`example-http:${name}: `)) ?? r.out;
    texts.push(answer.replace(`example-http:${name}`, '<id>'));
  }
  raw.close();
  expect(texts[0]).toContain('the system could not be reached');
  expect(texts[1]).toBe(texts[0]);
  expect(texts.join('')).not.toMatch(/OpenSSH|ECONNREFUSED|Parse Error/);
});

it('refuses a base URL that points at a private, link-local or metadata address (SSRF), naming the setting', async () => {
  process.env.TRADELANE_SECRET_KEYS = keys;
  const app: TestApp = await bootTestApp({ database: database.config, consume: false });
  try {
    const http = request(app.app.getHttpServer());
    for (const [baseUrl, range] of [
      ['http://169.254.169.254/latest/meta-data/', 'metadata'],
      ['http://10.0.0.5:5432', 'private'],
      ['http://[fe80::1]:8080', 'link-local'],
    ]) {
      const res = await http
        .post('/connector-instances')
        .send({ connector: 'example-http', name: 'ssrf', config: { baseUrl, apiToken: TOKEN } })
        .expect(400);
      expect(res.body.message).toMatch(
        new RegExp(
          `config\\.baseUrl: ${range} addresses are not reachable for connectors \\(allow them with TRADELANE_OUTBOUND_ALLOW=${range}\\)`,
        ),
      );
      outputs.push(JSON.stringify(res.body));
    }
  } finally {
    await app.close();
    delete process.env.TRADELANE_SECRET_KEYS;
  }
});
