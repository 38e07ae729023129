/**
 * The outbox lag gauge tells how far the relay is behind: the age of the oldest unpublished event,
 * 0 once everything is published.
 * Real: PostgreSQL, the app's /metrics, the outbox relay on the in-process bus. Mocked: nothing.
 * The relay is not started at first (consume: false) so an event can wait; its age is set in the
 * database (an event committed 42 s ago).
 */
import { createEnvelope } from '@tradelane/contracts';
import { OutboxRepository } from '@tradelane/persistence';
import { AppOnDatabase, bootAppOnNewDatabase, waitFor } from '@tradelane/testing';
import request from 'supertest';
import { EVENTS_EXCHANGE } from '../topology';
import { startBusConsumers } from '../transport/bus.bootstrap';

jest.setTimeout(60_000);

let app: AppOnDatabase;

beforeAll(async () => {
  app = await bootAppOnNewDatabase('outbox_lag', { consume: false });
});
afterAll(() => app?.close());

const gauge = async (name: string) => {
  const text = (await request(app.app.getHttpServer()).get('/metrics').expect(200)).text;
  const m = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
};

it('reports the age of the oldest unpublished event, and 0 once the relay has published it', async () => {
  expect(await gauge('tradelane_outbox_lag_seconds')).toBe(0);
  const e = createEnvelope({
    type: 'crm.customer.updated.v1',
    source: 'crm',
    key: 'lag-1',
    payload: { customerId: '00000000-0000-4000-8000-000000000001' } as never,
  });
  await app.db.transaction((tx) =>
    app.app.get(OutboxRepository).enqueue(tx, [{ exchange: EVENTS_EXCHANGE, envelope: e }]),
  );
  await app.db.sql(
    `UPDATE outbox SET created_at = clock_timestamp() - interval '42 seconds' WHERE message_id = $1`,
    [e.id],
  );
  const lag = await gauge('tradelane_outbox_lag_seconds');
  expect(lag).toBeGreaterThanOrEqual(42);
  expect(lag).toBeLessThan(60);
  expect(await gauge('tradelane_outbox_pending')).toBe(1);

  await startBusConsumers(app.app); // the relay starts with the consumers
  await waitFor(async () => (await gauge('tradelane_outbox_pending')) === 0, {
    what: 'the relay publishing it',
  });
  expect(await gauge('tradelane_outbox_lag_seconds')).toBe(0);
});
