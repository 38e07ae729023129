/**
 * Connectors on the embedded default, as a newcomer runs them: `npm start` with nothing configured
 * (PGlite, in-process bus), instances added over HTTP with no key set by hand. A dropped IDoc, a
 * signed push and a pull each land while /health keeps answering; SIGTERM stops the app within 5 s;
 * a SIGKILL right after a drop loses nothing. Only one process may open the data folder: the CLI
 * is refused while the app runs (and changes nothing), works through the app with --api, and a
 * lock left by a SIGKILLed app does not block the next start.
 * Real: the compiled api and CLI, PGlite on disk, the in-process bus, a local HTTP source.
 * Mocked: nothing. No PostgreSQL/RabbitMQ used.
 */
import { signWebhook } from '@tradelane/connector-sdk';
import { ExampleSource } from '@tradelane/example-http/testing';
import {
  AppProcess,
  ensureBuilt,
  freePort,
  runCli,
  startApp,
  untilHealthy,
  waitFor,
} from '@tradelane/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

jest.setTimeout(180_000);

const FIXTURES = path.resolve(__dirname, '../../plugins/erp-sap-idoc/src/__fixtures__');
const ORDERS = fs.readFileSync(path.join(FIXTURES, 'blueseer_ORDERS05_flatfile.txt'));
const SECRET = 'embedded-push-secret-0123';
const TOKEN = 'embedded-source-token-42';

let work: string;
let dataDir: string;
let drop: string;
let port: number;
let base: string;
let api: AppProcess | undefined;
const source = new ExampleSource(TOKEN);

const env = () => ({
  PORT: String(port),
  TRADELANE_DATA_DIR: dataDir,
  TRADELANE_SAMPLE: 'off',
  CONNECTOR_FILE_POLL_SECONDS: '1',
  LOG_LEVEL: 'info',
});

async function json<T>(pathname: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${base}${pathname}`, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${pathname}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

const post = (pathname: string, body: unknown) =>
  json(pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function healthCode(): Promise<number> {
  try {
    return (await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    return 0;
  }
}

async function boot(): Promise<AppProcess> {
  const app = startApp('api', env());
  await untilHealthy(app, base);
  return app;
}

const ledgerOf = (key: string) =>
  json<{ items: { status: string; consumer: string; type: string }[] }>(
    `/ledger?key=${encodeURIComponent(key)}&limit=100`,
  );

/** How many times the core processed the order of a business key (exactly once when it landed). */
async function orderCount(key: string): Promise<number> {
  const { items } = await ledgerOf(key);
  return items.filter(
    (e) => e.consumer === 'core' && e.status === 'processed' && e.type === 'erp.order.upserted.v1',
  ).length;
}

beforeAll(async () => {
  ensureBuilt();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tradelane-embedded-connectors-'));
  dataDir = path.join(work, 'data');
  drop = path.join(work, 'drop');
  fs.mkdirSync(drop);
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  source.seed(3);
});

afterAll(async () => {
  if (api && api.child.exitCode === null) {
    api.child.kill('SIGKILL');
    await api.exited;
  }
  await source.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

it("adds an erp-odoo instance on a fresh clone with the plugin README's command (CLI, no app running)", async () => {
  const fresh = path.join(work, 'fresh');
  const cliEnv = { TRADELANE_DATA_DIR: fresh, HOME: os.tmpdir() };
  const readme = fs.readFileSync(path.resolve(__dirname, '../../plugins/erp-odoo/README.md'), 'utf8');
  const config = /connectors add erp-odoo --name main --config '([^']+)'/.exec(readme)?.[1] as string;
  expect(config).toBeDefined();
  const added = await runCli(cliEnv, 'connectors', 'add', 'erp-odoo', '--name', 'main', '--config', config);
  expect(added.out).toContain('added erp-odoo:main');
  expect(added.code).toBe(0);
  const listed = await runCli(cliEnv, 'connectors', 'list');
  expect(listed.out).toMatch(/erp-odoo:main/);
  expect(fs.existsSync(path.join(fresh, 'tradelane.lock'))).toBe(false); // released at exit
});

it('takes a dropped IDoc, a signed push and a pull on the embedded default, /health up throughout', async () => {
  api = await boot();
  const sourceUrl = await source.start();
  // Secrets with no TRADELANE_SECRET_KEYS: the embedded default keeps a local key (0600).
  await post('/connector-instances', {
    connector: 'erp-sap-idoc',
    name: 'de',
    config: { dropFolder: drop, webhookSecret: SECRET },
  });
  const keyFile = path.join(dataDir, 'tradelane-secret-keys');
  expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
  await waitFor(async () => /generated a local key for connector secrets/.test(api?.output() ?? ''), {
    what: 'the log saying where the local key is',
  });

  fs.writeFileSync(path.join(drop, '0001_ORDERS05.txt'), ORDERS);
  const pushed = Buffer.from(ORDERS.toString('latin1').replace('TESTPONUMBER', 'PO-PUSH-0001'), 'latin1');
  const res = await fetch(`${base}/webhooks/erp-sap-idoc:de/idoc`, {
    method: 'POST',
    headers: {
      'content-type': 'text/plain',
      ...signWebhook(SECRET, pushed, { id: 'embedded-push-1' }),
    },
    body: pushed,
  });
  expect(res.status).toBe(202);

  await post('/connector-instances', {
    connector: 'example-http',
    name: 'shop',
    config: { baseUrl: sourceUrl, apiToken: TOKEN },
    pollSeconds: 1,
  });

  const health: number[] = [];
  await waitFor(
    async () => {
      health.push(await healthCode());
      const [dropped, push, pulled] = await Promise.all([
        orderCount('TESTPONUMBER'),
        orderCount('PO-PUSH-0001'),
        json<{ total: number }>('/customers?limit=1').then((p) => p.total),
      ]);
      return dropped === 1 && push === 1 && pulled >= 3;
    },
    { timeoutMs: 60_000, intervalMs: 500, what: 'the dropped, pushed and pulled records in the CRM' },
  ).catch((e) => {
    throw new Error(`${(e as Error).message}\n${api?.output()}`);
  });
  expect(health.every((c) => c === 200)).toBe(true);
  expect(fs.readdirSync(path.join(drop, 'processed'))).toEqual(['0001_ORDERS05.txt']);
  expect(await healthCode()).toBe(200);

  const started = Date.now();
  api.child.kill('SIGTERM');
  await api.exited;
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(fs.existsSync(path.join(dataDir, 'tradelane.lock'))).toBe(false);
});

it('loses nothing when killed right after a drop, and a stale lock does not block the restart', async () => {
  api = await boot();
  const second = Buffer.from(ORDERS.toString('latin1').replace('TESTPONUMBER', 'PO-KILL-0002'), 'latin1');
  fs.writeFileSync(path.join(drop, '0002_ORDERS05.txt'), second);
  // SIGKILL the moment the file is taken (moved) or committed, whichever the poll reaches first.
  await waitFor(
    async () =>
      !fs.existsSync(path.join(drop, '0002_ORDERS05.txt')) ||
      (await ledgerOf('erp-sap-idoc:de/idoc')).items.length > 2,
    { timeoutMs: 20_000, intervalMs: 20, what: 'the drop job taking the file' },
  );
  api.child.kill('SIGKILL');
  await api.exited;
  expect(fs.existsSync(path.join(dataDir, 'tradelane.lock'))).toBe(true); // left behind by the kill

  api = await boot(); // the stale lock is taken over
  await waitFor(async () => (await orderCount('PO-KILL-0002')) === 1, {
    timeoutMs: 30_000,
    what: 'the order of the file dropped before the kill',
  });
  expect(await orderCount('TESTPONUMBER')).toBe(1);
});

it('refuses the CLI while the app holds the data folder, and does the same through the app with --api', async () => {
  expect(api?.child.exitCode).toBeNull();
  const cliEnv = { TRADELANE_DATA_DIR: dataDir, HOME: os.tmpdir() };
  const config = JSON.stringify({
    url: 'https://erp.example.com',
    database: 'prod',
    login: 'crm',
    apiKey: 'k-123456',
  });
  const refused = await runCli(cliEnv, 'connectors', 'add', 'erp-odoo', '--name', 'main', '--config', config);
  expect(refused.code).not.toBe(0);
  expect(refused.out).toContain(
    `the embedded database in ${dataDir} is in use by process ${api?.child.pid} (api`,
  );
  expect(refused.out).toContain(`npm run cli -- --api ${base} <command>`);
  const before = await json<{ id: string }[]>('/connector-instances');
  expect(before.map((i) => i.id)).not.toContain('erp-odoo:main');

  const viaApi = await runCli(
    cliEnv,
    '--api',
    base,
    'connectors',
    'add',
    'erp-odoo',
    '--name',
    'main',
    '--config',
    config,
  );
  expect(viaApi.out).toContain('added erp-odoo:main');
  expect(viaApi.code).toBe(0);
  expect(viaApi.out).not.toContain('k-123456');
  const after = await json<{ id: string }[]>('/connector-instances');
  expect(after.map((i) => i.id)).toContain('erp-odoo:main');

  const status = await runCli(cliEnv, '--api', base, 'connectors', 'status', 'erp-sap-idoc:de');
  expect(status.code).toBe(0);
  expect(status.out).toContain('erp-sap-idoc:de');
  const ledger = await runCli(cliEnv, '--api', base, 'ledger', 'show', 'TESTPONUMBER');
  expect(ledger.out).toContain('erp.order.upserted.v1');
  // The instance added through the API is in the audit log, with who added it.
  const audit = await runCli(cliEnv, '--api', base, 'audit', 'list', '--action', 'connector-instance.');
  expect(audit.code).toBe(0);
  expect(audit.out).toMatch(/'local administrator'\s*│\s*'connector-instance\.add'\s*│\s*'erp-odoo:main'/);
  expect(audit.out).toContain('erp-odoo:main');
  expect(audit.out).not.toContain('k-123456'); // its secret masked
  const missing = await runCli(cliEnv, '--api', base, 'connectors', 'check', 'nope:x');
  expect(missing.code).not.toBe(0);
  expect(missing.out).toContain('connector instance nope:x not found');
  const nobody = `http://127.0.0.1:${await freePort()}`;
  const down = await runCli(cliEnv, '--api', nobody, 'connectors', 'list');
  expect(down.code).not.toBe(0);
  expect(down.out).toContain(`the API at ${nobody} did not answer (ECONNREFUSED)`);
});
