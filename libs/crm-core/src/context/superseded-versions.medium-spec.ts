/**
 * A version that arrives older than the stored one is processed without effect (newest wins) and
 * counted in `tradelane_versions_superseded_total{consumer,record}`: a far-future event time that
 * pins a record, or a source whose clock runs ahead, shows on a dashboard instead of silently.
 * Real: PostgreSQL, the app (in-process bus). Mocked: nothing.
 */
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { PROMETHEUS_REGISTRY } from '@tradelane/messaging';
import { AppOnDatabase, bootAppOnNewDatabase, publishAndSettle } from '@tradelane/testing';
import { Registry } from 'prom-client';

jest.setTimeout(60_000);

let app: AppOnDatabase;

beforeAll(async () => {
  app = await bootAppOnNewDatabase('superseded_versions');
});

afterAll(() => app?.close());

const customer = (name: string, occurredAt: string): Envelope =>
  createEnvelope({
    type: 'erp.customer.upserted.v1',
    source: 'erp-clock:main',
    key: 'C-1',
    occurredAt,
    payload: { externalId: 'C-1', name } as never,
  });

const order = (total: number, occurredAt: string): Envelope =>
  createEnvelope({
    type: 'erp.order.upserted.v1',
    source: 'erp-clock:main',
    key: 'SO-1',
    occurredAt,
    payload: {
      externalId: 'SO-1',
      customerExternalId: 'C-1',
      orderedAt: '2026-11-02T10:00:00Z',
      lines: [{ sku: 'X', quantity: 1, unitPrice: total }],
    } as never,
  });

async function superseded(record: string): Promise<number> {
  const metric = await app.app
    .get<Registry>(PROMETHEUS_REGISTRY)
    .getSingleMetric('tradelane_versions_superseded_total')
    ?.get();
  return metric?.values.find((v) => v.labels.record === record && v.labels.consumer === 'core')?.value ?? 0;
}

it('counts versions older than the stored one, per record kind, and leaves the stored one in place', async () => {
  await publishAndSettle(app, [
    customer('Newest name', '2026-11-20T10:00:00Z'),
    order(5000, '2026-11-20T10:00:00Z'),
  ]);
  expect(await superseded('customer')).toBe(0);
  expect(await superseded('order')).toBe(0);

  await publishAndSettle(app, [customer('Older name', '2026-11-19T10:00:00Z')]);
  await publishAndSettle(app, [order(10, '2026-11-18T10:00:00Z')]);
  await publishAndSettle(app, [order(20, '2026-11-19T10:00:00Z')]);
  expect(await superseded('customer')).toBe(1);
  expect(await superseded('order')).toBe(2);

  const [row] = await app.database.db.sql<{ name: string }>(
    `SELECT r.data->>'name' AS name FROM crm_customer_record r WHERE r.external_id = 'C-1'`,
  );
  expect(row.name).toBe('Newest name');
  const [o] = await app.database.db.sql<{ total: string }>(
    `SELECT total_amount::text AS total FROM crm_order WHERE external_id = 'SO-1'`,
  );
  expect(Number(o.total)).toBe(5000);

  // A newer version is written and not counted.
  await publishAndSettle(app, [customer('Newer still', '2026-11-21T10:00:00Z')]);
  expect(await superseded('customer')).toBe(1);
});
