/**
 * Reconciliation: 1,000 records pulled from an example-http source, 3 of them then lost between
 * source and store; `connectors reconcile` lists exactly those 3 keys (and the days whose counts
 * differ), `--repull` brings them back through tradelane.inbound, and a second pass finds nothing.
 * Real: PostgreSQL, RabbitMQ, the app (pull job, relay, handlers, HTTP), the compiled CLI, an HTTP
 * source. Mocked: nothing.
 */
import { SecretBox } from '@tradelane/connector-host';
import { ExampleSource } from '@tradelane/example-http/testing';
import { ensureBuilt, runCli, TestApp, TestDatabase, testServices, waitFor } from '@tradelane/testing';
import request from 'supertest';
import { ConnectorApp, startConnectorApp } from './support/connector-app';

jest.setTimeout(180_000);

const TOKEN = 'reconcile-token-3c9d';
const INSTANCE = 'example-http:rec';
const TOTAL = 1_000;
const KEYS = SecretBox.generateKeySpec('k1');
const services = testServices();
let database: TestDatabase;
let app: TestApp;
let source: ExampleSource;
let ctx: ConnectorApp;

beforeAll(async () => {
  ensureBuilt();
  source = new ExampleSource(TOKEN);
  source.seed(TOTAL, 0, Date.now() - 3 * 86_400_000 + 3_600_000); // spread over the last days
  const baseUrl = await source.start();
  ctx = await startConnectorApp('reconcile', { TRADELANE_SECRET_KEYS: KEYS });
  ({ database, app } = ctx);
  await ctx.instances.add({
    connector: 'example-http',
    name: 'rec',
    config: { baseUrl, apiToken: TOKEN, pageSize: 250 },
    pollSeconds: 1,
  });
});

afterAll(async () => {
  await ctx?.close();
  await source?.stop();
});

const held = async () =>
  Number(
    (
      await database.db.sql<{ n: string }>(
        `SELECT count(*) AS n FROM crm_customer_record WHERE source = $1`,
        [INSTANCE],
      )
    )[0].n,
  );

const cli = (...args: string[]) =>
  runCli(
    {
      DATABASE_URL: database.url,
      AMQP_URL: services.amqpUrl,
      TRADELANE_SECRET_KEYS: KEYS,
      TRADELANE_OUTBOUND_ALLOW: 'loopback',
    },
    ...args,
  );

it('lists exactly the keys lost between source and store, and re-pulls them', async () => {
  await waitFor(async () => (await held()) === TOTAL, { timeoutMs: 60_000, what: `${TOTAL} records pulled` });
  const lost = ['EX000007', 'EX000500', 'EX000993'];
  await database.db.sql(
    `DELETE FROM crm_customer_record WHERE source = $1 AND external_id = ANY($2::text[])`,
    [INSTANCE, lost],
  );

  const http = request(app.app.getHttpServer());
  const report = (await http.post(`/connector-instances/${INSTANCE}/reconcile`).send({}).expect(200)).body;
  const customers = report.streams.find((s: { stream: string }) => s.stream === 'customers');
  expect(customers).toMatchObject({ atSource: TOTAL, held: TOTAL - 3, missing: lost });
  expect(
    customers.days.reduce((n: number, d: { atSource: number; held: number }) => n + d.atSource - d.held, 0),
  ).toBe(3);
  expect(report.streams.find((s: { stream: string }) => s.stream === 'orders')).toMatchObject({
    atSource: 0,
    missing: [],
  });

  // --since narrows to records changed after a date: the first lost key is older.
  const recent = source.records('customers')[600].updatedAt;
  const narrowed = (
    await http.post(`/connector-instances/${INSTANCE}/reconcile`).send({ since: recent }).expect(200)
  ).body;
  expect(narrowed.streams[0].missing).toEqual(['EX000993']);

  const listed = await cli('connectors', 'reconcile', INSTANCE);
  expect(listed.code).toBe(3);
  expect(listed.out).toContain(`customers: ${TOTAL} at the source, ${TOTAL - 3} held, 3 missing`);
  expect(listed.out).toContain(`missing: ${lost.join(', ')}`);

  const repaired = await cli('connectors', 'reconcile', INSTANCE, '--repull');
  expect(repaired.out).toContain('re-pulled 3 record(s)');
  await waitFor(async () => (await held()) === TOTAL, { what: 'the re-pulled records' });
  const after = (await http.post(`/connector-instances/${INSTANCE}/reconcile`).send({}).expect(200)).body;
  expect(after.streams[0]).toMatchObject({ held: TOTAL, missing: [], days: [] });
});
