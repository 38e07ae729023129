/**
 * A promise given as a day ("estimated delivery date 2018-11-30") means by the end of that day in
 * its zone: a delivery later that same day is on time, the next morning is late. Stored as
 * midnight it made every delivery of the promised day late (91.4 % instead of 92.8 % on one real
 * marketplace data set).
 * Real: PostgreSQL, the app (handlers, KPI refresh, HTTP) on the in-process bus. Mocked: nothing.
 */
import { createEnvelope } from '@tradelane/contracts';
import { AppOnDatabase, bootAppOnNewDatabase, publishAndSettle } from '@tradelane/testing';
import request from 'supertest';

jest.setTimeout(60_000);

let app: AppOnDatabase;
beforeAll(async () => {
  app = await bootAppOnNewDatabase('kpi_promised_date');
});
afterAll(() => app?.close());

const TMS = 'tms-dates:main';
const delivered = (id: string, deliveredAt: string, promise: Record<string, string>) =>
  createEnvelope({
    type: 'tms.delivery.status-changed.v1',
    source: TMS,
    key: id,
    occurredAt: deliveredAt,
    payload: {
      externalId: id,
      status: 'DELIVERED',
      deliveredAt,
      customerSource: 'erp-dates:main',
      customerExternalId: 'SHOP-1',
      ...promise,
    } as never,
  });

it('counts a delivery later on the promised day as on time, in the promise zone', async () => {
  await publishAndSettle(app, [
    createEnvelope({
      type: 'erp.customer.upserted.v1',
      source: 'erp-dates:main',
      key: 'SHOP-1',
      payload: { externalId: 'SHOP-1', name: 'Loja Exemplo Ltda' },
    }),
    delivered('D-SAME-DAY', '2026-10-30T21:40:00Z', { promisedDate: '2026-10-30' }), // evening, UTC
    delivered('D-NEXT-DAY', '2026-10-31T08:00:00Z', { promisedDate: '2026-10-30' }),
    // 23:30 in São Paulo on the 30th is 02:30 UTC on the 31st: still that day there.
    delivered('D-ZONE', '2026-10-31T02:30:00Z', {
      promisedDate: '2026-10-30',
      promiseZone: 'America/Sao_Paulo',
    }),
    // A timestamp promise stays exact.
    delivered('D-TIMESTAMP', '2026-10-30T12:00:01Z', { promisedTo: '2026-10-30T12:00:00Z' }),
  ]);
  const http = request(app.app.getHttpServer());
  await http.post('/kpis/refresh').expect((r) => expect(r.status).toBeLessThan(300));
  const after = await app.database.db.sql<{ external_id: string; hit: boolean; promised_to: Date }>(
    `SELECT d.external_id, f.hit, d.promised_to FROM crm_kpi_fact f JOIN crm_delivery d ON d.id = f.subject_id
      WHERE f.kpi = 'on_time_delivery' ORDER BY d.external_id`,
  );
  expect(after.map((f) => [f.external_id, f.hit])).toEqual([
    ['D-NEXT-DAY', false],
    ['D-SAME-DAY', true],
    ['D-TIMESTAMP', false],
    ['D-ZONE', true],
  ]);
  // The day ends at local midnight: 23:59:59.999 on the 30th in São Paulo (UTC-3).
  expect(new Date(after.find((f) => f.external_id === 'D-ZONE')!.promised_to).toISOString()).toBe(
    '2026-10-31T02:59:59.999Z',
  );
  await app.bus.publish(
    'tradelane.inbound',
    delivered('D-BAD-ZONE', '2026-10-30T10:00:00Z', {
      promisedDate: '2026-10-30',
      promiseZone: 'Mars/Olympus_Mons',
    }),
  );
  const dead = await (async () => {
    for (let i = 0; i < 100; i++) {
      const [row] = await app.database.db.sql<{ error_code: string; error_field: string }>(
        `SELECT error_code, error_field FROM dead_letter WHERE key = 'D-BAD-ZONE'`,
      );
      if (row) return row;
      await new Promise((r) => setTimeout(r, 100));
    }
    return undefined;
  })();
  expect(dead).toEqual({ error_code: 'INVALID_MESSAGE', error_field: 'payload.promiseZone' });
});
