/**
 * Records are checked against their contracts in the host, before the outbox. A connector whose
 * mapper emits an order without its customer (a mapping bug the compiler would catch in a plugin;
 * here forced past it): pushed, the raw payload is dead-lettered whole under its own message id with
 * the record and the field named, and none of its records lands; pulled, the bad record is a dead
 * letter naming the stream and the field while the rest of the page lands.
 * Real: PostgreSQL, the app (host, handlers) on the in-process bus. Mocked: nothing (the connector
 * is a test one, declared here).
 */
import { CanonicalRecord, defineConnector } from '@tradelane/connector-sdk';
import { INSTALLED_CONNECTORS } from '@tradelane/plugins';
import { AppOnDatabase, bootAppOnNewDatabase, waitFor } from '@tradelane/testing';
import { IsOptional, IsString } from 'class-validator';
import { ConnectorInstanceService } from './connector-instance.service';
import { ConnectorPullService } from './connector-pull.service';
import { WebhookService } from './webhook.service';

jest.setTimeout(60_000);

class NoConfig {
  @IsOptional() @IsString() note?: string;
}

const at = '2026-11-20T10:00:00.000Z';
const order = (id: string, customer?: string) =>
  ({
    type: 'order.upserted',
    key: id,
    occurredAt: at,
    payload: { externalId: id, orderedAt: at, ...(customer ? { customerExternalId: customer } : {}) },
  }) as CanonicalRecord; // the missing customer cannot compile without the cast: that is the point

const broken = defineConnector<NoConfig>({
  id: 'erp-broken',
  kind: 'erp',
  version: '0.0.1',
  compatibility: '^1',
  description: 'A test connector whose mapper forgets the customer of one order',
  configSchema: NoConfig,
  secrets: [],
  capabilities: {
    accept: [{ name: 'push', via: 'webhook', description: 'orders pushed' }],
    pull: [{ name: 'orders', description: 'orders', emits: ['order.upserted'] }],
  },
  create: () => ({
    check: async () => ({ ok: true, code: 'ok', message: 'ok' }),
    discover: async () => ({ streams: ['orders'] }),
    accept: async () => [order('PUSH-OK', 'C-1'), order('PUSH-BAD')],
    pull: async (_stream, cursor) =>
      cursor
        ? { records: [], cursor, hasMore: false }
        : { records: [order('PULL-OK', 'C-1'), order('PULL-BAD')], cursor: '1', hasMore: false },
  }),
});

let app: AppOnDatabase;

beforeAll(async () => {
  app = await bootAppOnNewDatabase('record_checks', { connectors: [...INSTALLED_CONNECTORS, broken] });
  await app.app.get(ConnectorInstanceService).add({ connector: 'erp-broken', name: 'main', config: {} });
});
afterAll(() => app?.close());

const deadLetter = (where: string, param: string) =>
  waitFor(
    async () =>
      (
        await app.database.db.sql<{
          message_id: string;
          type: string;
          error_field: string;
          error_message: string;
        }>(`SELECT message_id, type, error_field, error_message FROM dead_letter WHERE ${where}`, [param])
      )[0],
    { what: `the dead letter (${param})` },
  );
const orders = (id: string) =>
  app.database.db.sql(`SELECT 1 FROM crm_order WHERE external_id = $1`, [id]).then((r) => r.length);

it('refuses a pushed payload whose record fails its contract, dead-lettered under the raw payload id with the field', async () => {
  const rawId = await app.app.get(WebhookService).receive(
    'erp-broken:main',
    'push',
    Buffer.from('<orders/>'),
    { 'content-type': 'application/xml' },
    () => Promise.resolve(), // the test calls the service, not the route: nobody to authorize
  );
  const dead = await deadLetter('message_id = $1', rawId);
  expect(dead).toMatchObject({
    type: 'connector.webhook.received.v1',
    error_field: 'record 2 payload.customerExternalId',
  });
  expect(dead.error_message).toMatch(
    /record 2 of 2 \(erp\.order\.upserted\.v1 PUSH-BAD\) fails its contract: payload\.customerExternalId/,
  );
  expect(await orders('PUSH-OK')).toBe(0); // the whole payload waits for the fix
});

it('keeps a pulled record that fails its contract as a dead letter naming the stream and field; the page goes on', async () => {
  await app.app.get(ConnectorPullService).pullPage('erp-broken:main', 'orders');
  const dead = await deadLetter('key = $1', 'PULL-BAD');
  expect(dead).toMatchObject({
    type: 'erp.order.upserted.v1',
    error_field: 'pull orders payload.customerExternalId',
  });
  await waitFor(async () => (await orders('PULL-OK')) === 1, { what: 'the good record of the page' });
});
