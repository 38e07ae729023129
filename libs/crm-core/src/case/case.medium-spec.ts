/**
 * Complaints and SLA clocks over real RabbitMQ and PostgreSQL: a damage exception opens one case
 * linked to the shipment and to both parties (shipper and consignee) besides the payer; its
 * first-response clock counts business hours only (weekend and a holiday skipped); a breach emits
 * exactly one crm.case.sla-breached.v1 per clock, whatever is redelivered and however often the
 * app restarts and sweeps. Also the workflow: a customer message stops the first-response clock,
 * resolving needs a resolution, a closed case cannot reopen.
 * Real: PostgreSQL, RabbitMQ, the app (handlers, outbox relay, HTTP, SLA job). Mocked: nothing.
 */
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { BACKFILL_EXCHANGE, EVENTS_EXCHANGE, INBOUND_EXCHANGE } from '@tradelane/messaging';
import {
  bootTestApp,
  createTestDatabase,
  EventTap,
  RawPublisher,
  resetBroker,
  TestApp,
  TestDatabase,
  testServices,
  waitFor,
} from '@tradelane/testing';
import { DateTime } from 'luxon';
import request from 'supertest';
import { CaseSlaService } from './case-sla.service';

jest.setTimeout(120_000);

const services = testServices();
const ERP = 'erp-case:main';
const TMS = 'tms-case:main';
const ZONE = 'Europe/Amsterdam';

let database: TestDatabase;
let app: TestApp;
let publisher: RawPublisher;
let tap: EventTap;

// The damage below is two to three weeks old: inside this suite's window for shipment events, which
// the last test narrows back to the default to show that history opens no case.
process.env.CRM_CASE_EVENT_MAX_AGE_HOURS = String(24 * 60);

const boot = async () => {
  app = await bootTestApp({ database: database.config, amqpUrl: services.amqpUrl });
  return request(app.app.getHttpServer());
};

beforeAll(async () => {
  await resetBroker(services.amqpUrl, services.rabbitmqctl, ['test.case-tap']);
  database = await createTestDatabase(services.databaseUrl, 'cases');
  await boot();
  publisher = await RawPublisher.open(services.amqpUrl);
  tap = await EventTap.open(services.amqpUrl, EVENTS_EXCHANGE, 'test.case-tap', 'crm.case.#');
});

afterAll(async () => {
  await tap?.close();
  await publisher?.close();
  await app?.close();
  await database?.drop();
});

const count = async (sql: string, params: unknown[] = []) =>
  Number((await database.db.sql<{ n: string }>(sql, params))[0].n);

/** Publishes and waits until every message id is in the inbox (a redelivered copy adds nothing). */
async function publish(messages: Envelope[]): Promise<void> {
  const ids = [...new Set(messages.map((m) => m.id))];
  await publisher.publishMany(
    INBOUND_EXCHANGE,
    messages.map((m) => ({ routingKey: m.type, body: JSON.stringify(m) })),
  );
  await waitFor(
    async () =>
      (await count(
        `SELECT count(*) AS n FROM inbox WHERE consumer = 'core' AND message_id = ANY($1::uuid[])`,
        [ids],
      )) === ids.length,
    { what: `${ids.length} messages processed` },
  );
}

const customer = (id: string) =>
  createEnvelope({
    type: 'erp.customer.upserted.v1',
    source: ERP,
    key: id,
    payload: { externalId: id, name: `Customer ${id}` },
  });

/** A Friday 16:00 in Amsterdam at least two weeks ago, and the Monday after it (made a holiday). */
const friday = DateTime.now().setZone(ZONE).minus({ days: 14 }).startOf('day');
const fri = friday.minus({ days: (friday.weekday + 2) % 7 }).set({ hour: 16 });
const holiday = fri.plus({ days: 3 }).toISODate() as string;

const damage = () =>
  createEnvelope({
    type: 'tms.delivery.status-changed.v1',
    source: TMS,
    key: 'SHP-9',
    occurredAt: fri.toUTC().toISO() as string,
    payload: {
      externalId: 'SHP-9',
      status: 'EXCEPTION',
      exceptionType: 'DAMAGE',
      note: 'Pallet 2 crushed at the cross-dock',
      customerSource: ERP,
      customerExternalId: 'PAYER',
      parties: [
        { role: 'shipper', customerSource: ERP, customerExternalId: 'SUPPLIER' },
        { role: 'consignee', customerSource: ERP, customerExternalId: 'RETAILER' },
      ],
    },
  });

const breachedEvents = () =>
  count(`SELECT count(*) AS n FROM outbox WHERE type = 'crm.case.sla-breached.v1'`);
const tapped = (type: string) =>
  new Set(tap.received.filter((r) => r.envelope.type === type).map((r) => r.envelope.id)).size;

it('opens one case for a damage exception, linked to the shipment and both parties, and breaches each clock exactly once', async () => {
  let http = request(app.app.getHttpServer());
  expect(fri.weekday).toBe(5);
  await http
    .put('/agreements/tiers/standard')
    .send({
      calendar: { zone: ZONE, workdays: [1, 2, 3, 4, 5], open: '08:00', close: '18:00', holidays: [holiday] },
    })
    .expect(200);
  await publish(['PAYER', 'SUPPLIER', 'RETAILER'].map(customer));
  const exception = damage();
  await publish([exception]);

  const cases = await database.db.sql<{ id: string }>(`SELECT id FROM crm_case`);
  expect(cases).toHaveLength(1);
  const k = (await http.get(`/cases/${cases[0].id}`).expect(200)).body;
  expect(k).toMatchObject({
    type: 'damage',
    priority: 'high',
    origin: 'delivery-exception',
    deliverySource: TMS,
    deliveryExternalId: 'SHP-9',
    customerExternalId: 'PAYER',
    description: 'Pallet 2 crushed at the cross-dock',
  });
  const ids = Object.fromEntries(
    (
      await database.db.sql<{ external_id: string; customer_id: string }>(
        `SELECT external_id, customer_id FROM crm_customer_record`,
      )
    ).map((r) => [r.external_id, r.customer_id]),
  );
  expect(k.parties.map((p: { role: string; customerId: string }) => [p.role, p.customerId]).sort()).toEqual(
    [
      ['consignee', ids.RETAILER],
      ['customer', ids.PAYER],
      ['shipper', ids.SUPPLIER],
    ].sort(),
  );
  // Both sides find it on their own case list.
  for (const side of ['SUPPLIER', 'RETAILER'])
    expect(
      (await http.get(`/cases?customerId=${ids[side]}`).expect(200)).body.items.map(
        (c: { id: string }) => c.id,
      ),
    ).toEqual([k.id]);

  // The 360 of the retailer (the consignee) shows the case, as consignee.
  const retailer360 = (await http.get(`/customers/${ids.RETAILER}`).expect(200)).body;
  expect(retailer360.cases).toMatchObject({
    open: 1,
    escalated: 1,
    recent: [{ id: k.id, role: 'consignee', type: 'damage' }],
  });

  // Service failures spread along the chain: the churn warning marks both sides at risk, not just the payer.
  const churn = (
    await http
      .get('/churn-warnings')
      .query({ month: fri.toFormat('yyyy-MM') })
      .expect(200)
  ).body;
  const atRisk = Object.fromEntries(
    churn.flagged.map((f: { customerId: string; signals: { signal: string; reason: string }[] }) => [
      f.customerId,
      f.signals.filter((x) => x.signal === 'failed-shipment').map((x) => x.reason),
    ]),
  );
  expect(atRisk[ids.SUPPLIER]).toEqual([
    expect.stringMatching(
      /shipment tms-case:main\/SHP-9 failed \(damage, case C-\d+\); this customer was its shipper/,
    ),
  ]);
  expect(atRisk[ids.RETAILER]).toEqual([expect.stringMatching(/was its consignee/)]);
  expect(atRisk[ids.PAYER]).toEqual([expect.stringMatching(/was its customer/)]);

  // High priority: 240 business minutes. Friday 16:00-18:00 is 120, the weekend and Monday's
  // holiday count nothing, Tuesday 08:00 + 120 = 10:00.
  const due = fri.plus({ days: 4 }).set({ hour: 10 });
  expect(new Date(k.firstResponseDueAt).toISOString()).toBe(due.toUTC().toISO());
  expect(k.clocks.firstResponse.allowedMinutes).toBe(240);
  // Resolution: 1,440 minutes = Fri 120 + Tue 600 + Wed 600 + Thu 120 → Thursday 10:00.
  expect(new Date(k.resolutionDueAt).toISOString()).toBe(
    fri.plus({ days: 6 }).set({ hour: 10 }).toUTC().toISO(),
  );
  expect(k.suggestedResolutions[0].title).toMatch(/Damaged goods/);

  // Both clocks ran out long ago: one breach each, escalated, on the bus once.
  expect(await breachedEvents()).toBe(2);
  await waitFor(async () => tapped('crm.case.sla-breached.v1') === 2, { what: 'two breaches on the bus' });
  expect(k.escalationLevel).toBe(2);
  expect(
    k.slaEvents
      .filter((e: { kind: string }) => e.kind === 'breached')
      .map((e: { clock: string }) => e.clock)
      .sort(),
  ).toEqual(['first-response', 'resolution']);

  // Redelivery: the same message again, and a second message for the same exception.
  await publish([exception, { ...damage(), occurredAt: fri.plus({ hours: 1 }).toUTC().toISO() as string }]);
  await new Promise((r) => setTimeout(r, 500)); // the copy of the first message, dropped by the inbox
  expect(await count(`SELECT count(*) AS n FROM crm_case`)).toBe(1);

  // Restarts: a new process sweeps at start; two sweeps at once find nothing new either.
  await app.close();
  http = await boot();
  const sweeper = app.app.get(CaseSlaService);
  await Promise.all([sweeper.sweep(), sweeper.sweep()]);
  expect(await sweeper.sweep()).toBe(0);
  expect(await breachedEvents()).toBe(2);
  await new Promise((r) => setTimeout(r, 1_000));
  expect(tapped('crm.case.sla-breached.v1')).toBe(2);
  expect(tapped('crm.case.opened.v1')).toBe(1);
});

it('runs the workflow: a customer message stops the first-response clock, resolving needs a resolution, closed stays closed', async () => {
  const http = request(app.app.getHttpServer());
  const payer = (
    await database.db.sql<{ customer_id: string }>(
      `SELECT customer_id FROM crm_customer_record WHERE external_id = 'PAYER'`,
    )
  )[0].customer_id;
  const opened = (
    await http
      .post('/cases')
      .send({ customerId: payer, type: 'service_request', subject: 'Monthly stock report please' })
      .expect(201)
  ).body;
  expect(opened).toMatchObject({ status: 'new', priority: 'normal', firstRespondedAt: null });
  expect(opened.clocks.firstResponse.state).toBe('running');
  await http.post('/cases').send({ customerId: payer, type: 'nonsense', subject: 'x' }).expect(400);

  await http
    .post(`/cases/${opened.id}/messages`)
    .send({ visibility: 'internal', author: 'ops', body: 'pull from WMS' })
    .expect(201);
  expect((await http.get(`/cases/${opened.id}`).expect(200)).body.firstRespondedAt).toBeNull();
  const answered = (
    await http
      .post(`/cases/${opened.id}/messages`)
      .send({ visibility: 'customer', author: 'ops', body: 'On its way by Friday' })
      .expect(201)
  ).body;
  expect(answered.status).toBe('open');
  expect(answered.firstRespondedAt).not.toBeNull();
  expect(answered.clocks.firstResponse.state).toBe('met');

  await http.post(`/cases/${opened.id}/transition`).send({ to: 'resolved' }).expect(400);
  const resolved = (
    await http
      .post(`/cases/${opened.id}/transition`)
      .send({ to: 'resolved', resolution: 'Report sent' })
      .expect(201)
  ).body;
  expect(resolved).toMatchObject({ status: 'resolved', resolution: 'Report sent' });
  expect(resolved.clocks.resolution.state).toBe('met');
  await http.post(`/cases/${opened.id}/transition`).send({ to: 'closed' }).expect(201);
  const refused = await http.post(`/cases/${opened.id}/transition`).send({ to: 'open' }).expect(409);
  expect(refused.body.message).toMatch(/cannot go from closed to open/);
  expect(await count(`SELECT count(*) AS n FROM crm_case_sla_event WHERE case_id = $1`, [opened.id])).toBe(0);
});

it('opens no case and emits no SLA event for history (older than the window, or on the backfill lane), but counts it in the KPIs', async () => {
  await app.close();
  process.env.CRM_CASE_EVENT_MAX_AGE_HOURS = '168'; // the default: a week
  await boot();
  const casesBefore = await count(`SELECT count(*) AS n FROM crm_case`);
  const slaBefore = await count(`SELECT count(*) AS n FROM outbox WHERE type LIKE 'crm.case.sla-%'`);
  const twoYearsAgo = DateTime.now().minus({ years: 2 });
  const old = (id: string, payload: object, at: DateTime) =>
    createEnvelope({
      type: 'tms.delivery.status-changed.v1',
      source: TMS,
      key: id,
      occurredAt: at.toUTC().toISO() as string,
      payload: { externalId: id, customerSource: ERP, customerExternalId: 'PAYER', ...payload } as never,
    });
  // Delivered three days after its window two years ago (would open a delay case), and damaged then.
  const late = old(
    'SHP-2024-LATE',
    { status: 'DELIVERED', promisedTo: twoYearsAgo.toUTC().toISO() },
    twoYearsAgo.plus({ days: 3 }),
  );
  const damaged = old('SHP-2024-DMG', { status: 'EXCEPTION', exceptionType: 'DAMAGE' }, twoYearsAgo);
  await publish([late, damaged]);
  // A recent damage, but reloaded on the backfill lane: history too.
  const reloaded = old(
    'SHP-BACKFILL',
    { status: 'EXCEPTION', exceptionType: 'DAMAGE' },
    DateTime.now().minus({ hours: 2 }),
  );
  await publisher.publishMany(BACKFILL_EXCHANGE, [
    { routingKey: reloaded.type, body: JSON.stringify(reloaded) },
  ]);
  await waitFor(
    async () => (await count(`SELECT count(*) AS n FROM inbox WHERE message_id = $1`, [reloaded.id])) === 1,
    { what: 'the backfilled exception processed' },
  );
  await app.app.get(CaseSlaService).sweep();
  expect(await count(`SELECT count(*) AS n FROM crm_case`)).toBe(casesBefore);
  expect(await count(`SELECT count(*) AS n FROM outbox WHERE type LIKE 'crm.case.sla-%'`)).toBe(slaBefore);
  // The deliveries are there, and their KPI facts (on time: missed; damage: hit) are derived.
  await waitFor(
    async () =>
      (await count(
        `SELECT count(*) AS n FROM crm_kpi_fact f JOIN crm_delivery d ON d.id = f.subject_id
          WHERE d.external_id IN ('SHP-2024-LATE', 'SHP-2024-DMG') AND f.kpi IN ('on_time_delivery', 'damage_rate')`,
      )) >= 2,
    { what: 'KPI facts of the old deliveries' },
  );
  const [onTime] = await database.db.sql<{ hit: boolean }>(
    `SELECT f.hit FROM crm_kpi_fact f JOIN crm_delivery d ON d.id = f.subject_id
      WHERE d.external_id = 'SHP-2024-LATE' AND f.kpi = 'on_time_delivery'`,
  );
  expect(onTime.hit).toBe(false);
});
