/**
 * The reference connector against a real local HTTP server (ExampleSource): declaration, check
 * with good and bad credentials, cursor paging, and errors mapped to ConnectorError kinds.
 * Real: an HTTP server on 127.0.0.1. Mocked: nothing.
 */
import { parseConnectorConfig, PullPage } from '@tradelane/connector-sdk';
import { exampleHttpConnector } from './example-http.connector';
import { ExampleSource } from './testing/example-source';

const TOKEN = 'demo-token-123';
let source: ExampleSource;
let baseUrl: string;
const log = () => undefined;

beforeAll(async () => {
  source = new ExampleSource(TOKEN);
  source.seed(25);
  baseUrl = await source.start();
});

afterAll(() => source.stop());

const runtime = (patch: Record<string, unknown> = {}) =>
  exampleHttpConnector.create(
    parseConnectorConfig(exampleHttpConnector, { baseUrl, apiToken: TOKEN, pageSize: 10, ...patch }),
    { instance: 'example-http:test', tenant: 'default', log },
  );

it('declares itself: id, kind, secrets, pull streams', () => {
  expect(exampleHttpConnector).toMatchObject({
    id: 'example-http',
    kind: 'erp',
    secrets: ['apiToken', 'webhookSecret'],
  });
  expect(exampleHttpConnector.capabilities.pull?.map((s) => s.name)).toEqual(['customers', 'orders']);
});

it('checks credentials and reachability with a coded result', async () => {
  expect(await runtime().check()).toEqual({
    ok: true,
    code: 'ok',
    message: 'reachable, source version 1.4.2',
  });
  expect(await runtime({ apiToken: 'wrong-token' }).check()).toMatchObject({ ok: false, code: 'auth' });
  expect(await runtime({ baseUrl: 'http://127.0.0.1:1' }).check()).toMatchObject({
    ok: false,
    code: 'retryable',
  });
  expect(await runtime().discover()).toEqual({
    streams: ['customers', 'orders'],
    details: { version: '1.4.2' },
  });
});

it('pulls every record once, page by page, and resumes from a cursor', async () => {
  const rt = runtime();
  const keys: string[] = [];
  let cursor: string | null = null;
  let page: PullPage;
  let pages = 0;
  do {
    page = await (rt.pull as NonNullable<typeof rt.pull>)('customers', cursor);
    keys.push(...page.records.map((r) => r.key));
    cursor = page.cursor;
    pages++;
  } while (page.hasMore);
  expect(pages).toBe(3);
  expect(keys).toEqual(source.records('customers').map((r) => r.id));
  // Nothing new: an empty page keeps the cursor. A change after it comes next.
  const empty = await (rt.pull as NonNullable<typeof rt.pull>)('customers', cursor);
  expect(empty).toEqual({ records: [], cursor, hasMore: false });
  source.upsert('customers', { id: 'EX000003', name: 'Renamed', updatedAt: '2027-01-01T00:00:00.000Z' });
  const next = await (rt.pull as NonNullable<typeof rt.pull>)('customers', cursor);
  expect(next.records.map((r) => [r.key, (r.payload as { name: string }).name])).toEqual([
    ['EX000003', 'Renamed'],
  ]);
});

it('maps provider failures to ConnectorError kinds', async () => {
  const rt = runtime();
  source.failWith = 503;
  await expect((rt.pull as NonNullable<typeof rt.pull>)('orders', null)).rejects.toMatchObject({
    kind: 'retryable',
  });
  source.failWith = 429;
  await expect((rt.pull as NonNullable<typeof rt.pull>)('orders', null)).rejects.toMatchObject({
    kind: 'rate-limited',
  });
  source.failWith = null;
  await expect((rt.pull as NonNullable<typeof rt.pull>)('invoices', null)).rejects.toMatchObject({
    kind: 'config',
  });
  const err = await runtime({ apiToken: 'wrong-token' })
    .pull?.('orders', null)
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: 'auth' });
  expect(JSON.stringify(err)).not.toContain('wrong-token');
  expect(String((err as Error).stack)).not.toContain('wrong-token');
});
