/**
 * No secret of this suite appears anywhere a person or another system can read: every log line of
 * the compiled API (debug level), every API answer, and every row of the ledger, the dead-letter
 * store (bodies included), the outbox and the connector tables. Secrets go in as connector secrets,
 * as request credentials (authorization, proxy-authorization, a partner's custom token header),
 * as the webhook signature, and as a user and password inside a URL (refused).
 * Real: the compiled api (worker in the same process), PostgreSQL, RabbitMQ, a local HTTP source.
 * Mocked: nothing.
 */
import { signWebhook } from '@tradelane/connector-sdk';
import { ExampleSource } from '@tradelane/example-http/testing';
import {
  AppProcess,
  createTestDatabase,
  ensureBuilt,
  freePort,
  resetBroker,
  startApp,
  TestDatabase,
  testServices,
  untilHealthy,
  waitFor,
} from '@tradelane/testing';

jest.setTimeout(120_000);

const SECRETS = {
  apiToken: 'secret-api-token-3f9a1c77',
  webhookSecret: 'secret-webhook-key-77d2e0b1aa',
  bearer: 'secret-bearer-5b1e9d',
  proxy: 'secret-proxy-c0ffee12',
  partnerToken: 'secret-partner-token-9912',
  urlPassword: 'secret-url-pass-4411',
};
const services = testServices();
const source = new ExampleSource(SECRETS.apiToken);
let database: TestDatabase;
let api: AppProcess;
let base: string;
const answers: string[] = [];

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  answers.push(text, JSON.stringify([...res.headers.entries()]));
  return { status: res.status, text };
}

beforeAll(async () => {
  ensureBuilt();
  await resetBroker(services.amqpUrl, services.rabbitmqctl);
  database = await createTestDatabase(services.databaseUrl, 'secrets_scan');
  source.seed(3);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  api = startApp('api', {
    PORT: String(port),
    DATABASE_URL: database.url,
    AMQP_URL: services.amqpUrl,
    TRADELANE_API_RUN_WORKER: 'true',
    TRADELANE_SECRET_KEYS: 'k1:' + Buffer.alloc(32, 7).toString('base64'),
    TRADELANE_SAMPLE: 'off',
    TRADELANE_OUTBOUND_ALLOW: 'loopback', // the source runs on this machine
    LOG_LEVEL: 'debug',
    CONNECTOR_TICK_MS: '200',
  });
  await untilHealthy(api, base);
});

afterAll(async () => {
  api?.child.kill('SIGKILL');
  await api?.exited;
  await source.stop();
  await database?.drop();
});

it('keeps every secret out of logs, API answers, the ledger, dead letters, the outbox and connector tables', async () => {
  const sourceUrl = await source.start();
  const added = await call('POST', '/connector-instances', {
    connector: 'example-http',
    name: 'shop',
    config: { baseUrl: sourceUrl, apiToken: SECRETS.apiToken, webhookSecret: SECRETS.webhookSecret },
    pollSeconds: 1,
  });
  expect(added.status).toBe(201);
  const withUserinfo = await call('POST', '/connector-instances', {
    connector: 'example-http',
    name: 'leaky',
    config: { baseUrl: `http://crm:${SECRETS.urlPassword}@127.0.0.1:9`, apiToken: SECRETS.apiToken },
  });
  expect(withUserinfo.status).toBe(400);
  expect(withUserinfo.text).toMatch(/config\.baseUrl: a URL must not contain a user name or password/);
  expect((await call('POST', '/connector-instances/example-http:shop/check', {})).text).toMatch(/"ok":true/);

  // A valid signed push and a malformed one (dead-lettered whole), each with credentials attached.
  const credentials = {
    authorization: `Bearer ${SECRETS.bearer}`,
    'proxy-authorization': `Basic ${SECRETS.proxy}`,
    'x-partner-token': SECRETS.partnerToken,
  };
  for (const [i, updatedAt] of ['2026-03-02T08:16:00Z', 'not a date'].entries()) {
    const body = JSON.stringify({
      items: [
        {
          number: `SO-SEC-${i}`,
          customer: 'EX000001',
          orderedAt: '2026-03-02T08:15:00Z',
          lines: [],
          updatedAt,
        },
      ],
    });
    const signed = signWebhook(SECRETS.webhookSecret, Buffer.from(body), { id: `sec-${i}` });
    expect(
      (await call('POST', '/webhooks/example-http:shop/orders-webhook', body, { ...signed, ...credentials }))
        .status,
    ).toBe(202);
  }
  // A push with a wrong signature (logged as refused).
  await call('POST', '/webhooks/example-http:shop/orders-webhook', '{}', {
    ...credentials,
    'webhook-id': 'x',
    'webhook-timestamp': '1',
    'webhook-signature': 'v1,AAAA',
  });

  await waitFor(
    async () =>
      (await database.db.sql(`SELECT 1 FROM dead_letter WHERE source = 'example-http:shop'`)).length >= 1 &&
      (await database.db.sql(`SELECT 1 FROM crm_customer_record WHERE source = 'example-http:shop'`))
        .length >= 3,
    { timeoutMs: 60_000, what: 'the pull, the push and the dead letter' },
  );
  for (const path of [
    '/connector-instances',
    '/connector-instances/example-http:shop',
    '/ledger?limit=500',
    '/dead-letters?limit=500',
    '/connectors',
    '/docs-json',
  ])
    await call('GET', path);

  const tables = [
    'message_ledger',
    'dead_letter',
    'outbox',
    'connector_instance',
    'connector_cursor',
    'inbox',
  ];
  const rows: string[] = [];
  for (const t of tables) rows.push(JSON.stringify(await database.db.sql(`SELECT * FROM ${t}`)));
  // Dead letters' and outbox bodies decoded too (bytes and base64 payloads).
  for (const d of await database.db.sql<{ body: Buffer }>(`SELECT body FROM dead_letter`)) {
    const text = Buffer.from(d.body).toString('utf8');
    rows.push(text);
    const b64 = /"bodyBase64":"([^"]+)"/.exec(text)?.[1];
    if (b64) rows.push(Buffer.from(b64, 'base64').toString('utf8'));
  }
  const everything = { logs: api.fullOutput(), answers: answers.join('\n'), rows: rows.join('\n') };
  expect(everything.logs).toMatch(/"url":"\/webhooks\/example-http:shop\/orders-webhook"/); // request logs captured
  expect(everything.logs).toMatch(/push refused: /);
  for (const [where, text] of Object.entries(everything))
    for (const [name, secret] of Object.entries(SECRETS)) {
      if (text.includes(secret)) throw new Error(`secret ${name} found in ${where}`);
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    }
});
