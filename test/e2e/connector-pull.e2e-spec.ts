/**
 * Pulling through the runtime: an example-http instance against a real local HTTP source is polled
 * by the worker's pull job; pages go through the outbox to tradelane.inbound (real RabbitMQ) into
 * the CRM, each record once; pause keeps the cursor and stops pulling, resume picks up from it;
 * a stopped source marks the instance degraded with the error and a freshness lag.
 * Real: PostgreSQL, RabbitMQ, the app (pull job, relay, handlers, HTTP), an HTTP source. Mocked: nothing.
 */
import { ConnectorInstanceService } from '@tradelane/connector-host';
import { ExampleSource } from '@tradelane/example-http/testing';
import { sleep, TestApp, TestDatabase, waitFor } from '@tradelane/testing';
import request from 'supertest';
import { ConnectorApp, startConnectorApp } from './support/connector-app';

jest.setTimeout(120_000);

const TOKEN = 'pull-token-7d2e';
const INSTANCE = 'example-http:shop';
let database: TestDatabase;
let app: TestApp;
let source: ExampleSource;

let ctx: ConnectorApp;

beforeAll(async () => {
  source = new ExampleSource(TOKEN);
  source.seed(25, 1, Date.now() - 120_000); // recent events: a fresh source
  const baseUrl = await source.start();
  ctx = await startConnectorApp('connector_pull', {
    CONNECTOR_BREAKER_HALF_OPEN_SECONDS: '2', // the outage test recovers quickly
    CRM_REFERENCE_SWEEP_SECONDS: '1',
  });
  ({ database, app } = ctx);
  await ctx.instances.add({
    connector: 'example-http',
    name: 'shop',
    config: { baseUrl, apiToken: TOKEN, pageSize: 7 },
    pollSeconds: 1,
    freshnessThresholdSeconds: 60,
  });
});

afterAll(async () => {
  await ctx?.close();
  await source?.stop();
});

const count = async (sql: string) => Number((await database.db.sql<{ n: string }>(sql))[0].n);
const inCrm = () =>
  Promise.all([
    count(`SELECT count(*) AS n FROM crm_customer_record WHERE source = '${INSTANCE}'`),
    count(`SELECT count(*) AS n FROM crm_order WHERE source = '${INSTANCE}'`),
  ]);

it('pulls every page into the CRM, each record once', async () => {
  await waitFor(async () => (await inCrm()).join() === '25,25', {
    timeoutMs: 60_000,
    what: '25 customers and 25 orders',
  });
  // Each record went through the outbox to tradelane.inbound exactly once, and was processed once.
  expect(await count(`SELECT count(*) AS n FROM outbox WHERE exchange = 'tradelane.inbound'`)).toBe(50);
  expect(
    await count(`SELECT count(DISTINCT message_id) AS n FROM outbox WHERE exchange = 'tradelane.inbound'`),
  ).toBe(50);
  expect(
    await count(
      `SELECT count(*) AS n FROM message_ledger WHERE source = '${INSTANCE}' AND status = 'processed'`,
    ),
  ).toBe(50);
  const status = (await request(app.app.getHttpServer()).get(`/connector-instances/${INSTANCE}`).expect(200))
    .body;
  expect(status).toMatchObject({ health: 'ok', deadLetters: 0, lastError: null, backlog: 0 });
  expect(status.streams.map((s: { stream: string; records: number }) => [s.stream, s.records])).toEqual([
    ['customers', 25],
    ['orders', 25],
  ]);
  // The order references resolved: the customers came from the same instance.
  // (An order committed while its customer's transaction was still open may be parked for a moment;
  // the sweep drops references whose parent exists.)
  await waitFor(async () => (await count(`SELECT count(*) AS n FROM crm_pending_reference`)) === 0, {
    what: 'no pending reference',
  });
  // The customer 360 says how fresh this connector's data is.
  const http = request(app.app.getHttpServer());
  const [c] = (await http.get('/customers').query({ q: 'EX000001' }).expect(200)).body.items;
  const view = (await http.get(`/customers/${c.id}`).expect(200)).body;
  expect(view.freshness).toEqual([
    expect.objectContaining({ source: INSTANCE, records: 2, lastEventAt: expect.any(String) }),
  ]);
});

it('pauses without losing its place, and resumes from the cursor', async () => {
  const svc = app.app.get(ConnectorInstanceService);
  await svc.setState(INSTANCE, 'paused');
  await sleep(1_500); // a pull in flight finishes
  source.upsert('customers', {
    id: 'EX-NEW',
    name: 'Arrived while paused',
    updatedAt: new Date(Date.now() - 1_000).toISOString(),
  });
  await sleep(2_500);
  expect((await inCrm())[0]).toBe(25);
  await svc.setState(INSTANCE, 'running');
  await waitFor(async () => (await inCrm())[0] === 26, { what: 'the record added while paused' });
  expect(await count(`SELECT count(*) AS n FROM outbox WHERE exchange = 'tradelane.inbound'`)).toBe(51);
});

it('marks the instance degraded when the source stops, with the error and a freshness lag', async () => {
  source.failWith = 503;
  const svc = app.app.get(ConnectorInstanceService);
  const status = await waitFor(
    async () => {
      const s = await svc.status(INSTANCE);
      return s.health === 'degraded' && s;
    },
    { what: 'degraded' },
  );
  expect(status.lastError).toMatch(
    /^retryable: GET \/v1\/(customers|orders): Request failed with status code 503/,
  );
  expect(status.freshnessLagSeconds).toBeGreaterThan(0);
  // Each stream shows its own state and error, not only the instance's last one.
  const failing = await waitFor(
    async () => {
      const s = await svc.status(INSTANCE);
      return s.streams.every((st) => st.health === 'degraded') && s.streams;
    },
    { what: 'both streams degraded' },
  );
  for (const st of failing)
    expect(st.lastError).toMatch(
      new RegExp(`^retryable: GET /v1/${st.stream}: Request failed with status code 503`),
    );
  const metrics = (await request(app.app.getHttpServer()).get('/metrics').expect(200)).text;
  expect(metrics).toContain(
    `tradelane_connector_health{instance="${INSTANCE}",health="degraded",state="running"} 1`,
  );
  expect(metrics).toMatch(
    new RegExp(`tradelane_connector_freshness_lag_seconds\\{instance="${INSTANCE}"\\} [1-9]`),
  );
  expect(metrics).toContain(
    `tradelane_connector_records_pulled{instance="${INSTANCE}",stream="customers"} 26`,
  );
  source.failWith = null;
  await waitFor(async () => (await svc.status(INSTANCE)).health === 'ok', {
    timeoutMs: 30_000,
    what: 'recovered',
  });
});

it('backfills a paused instance on its own lane, announcing nothing to the ERP', async () => {
  const svc = app.app.get(ConnectorInstanceService);
  source.failWith = null;
  const { baseUrl } = (await svc.get(INSTANCE)).settings as { baseUrl: string };
  await svc.add({
    connector: 'example-http',
    name: 'history',
    config: { baseUrl, apiToken: TOKEN, pageSize: 7 },
  });
  await svc.setState('example-http:history', 'paused');
  const events = () => count(`SELECT count(*) AS n FROM outbox WHERE exchange = 'tradelane.events'`);
  const before = await events();
  const http = request(app.app.getHttpServer());
  const started = await http.post('/connector-instances/example-http:history/backfill').send({}).expect(202);
  expect(started.body.map((b: { stream: string }) => b.stream)).toEqual(['customers', 'orders']);
  await http
    .post('/connector-instances/example-http:history/backfill')
    .send({ stream: 'customers' })
    .expect(409);
  await waitFor(
    async () =>
      (await count(`SELECT count(*) AS n FROM crm_customer_record WHERE source = 'example-http:history'`)) ===
        26 &&
      (await count(`SELECT count(*) AS n FROM crm_order WHERE source = 'example-http:history'`)) === 25,
    { timeoutMs: 60_000, what: 'the backfilled records' },
  );
  const done = (await http.get('/connector-instances/example-http:history/backfills').expect(200)).body;
  expect(
    done
      .map((b: { stream: string; state: string; records: number }) => [b.stream, b.state, b.records])
      .sort(),
  ).toEqual([
    ['customers', 'done', 26],
    ['orders', 'done', 25],
  ]);
  // 26 new customers, and not one crm.customer.created for the ERP: a history reload announces nothing.
  expect(await events()).toBe(before);
  expect(await count(`SELECT count(*) AS n FROM outbox WHERE exchange = 'tradelane.backfill'`)).toBe(51);
  expect(
    await count(
      `SELECT count(*) AS n FROM message_ledger WHERE consumer = 'core-backfill' AND status = 'processed'`,
    ),
  ).toBe(51);
  // The live cursor of the paused instance did not move.
  expect(
    await count(`SELECT count(*) AS n FROM connector_cursor WHERE instance_id = 'example-http:history'`),
  ).toBe(0);
});
