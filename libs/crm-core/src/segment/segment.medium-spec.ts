/**
 * Lifecycle stages follow synthetic order histories as they rise and fall, and a change of stage
 * emits crm.customer.segment-changed.v1 (through the outbox) once.
 * Real: PostgreSQL, the app (handlers, HTTP) on the in-process bus. Mocked: nothing.
 */
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { AppOnDatabase, bootAppOnNewDatabase, publishAndSettle } from '@tradelane/testing';
import request from 'supertest';

jest.setTimeout(60_000);

// Its shipments are from fixed dates in 2026: inside the window in which shipment events open cases.
process.env.CRM_CASE_EVENT_MAX_AGE_HOURS = String(24 * 365 * 5);

let app: AppOnDatabase;
const SOURCE = 'erp-seg:main';
const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();

beforeAll(async () => {
  app = await bootAppOnNewDatabase('segments');
});

afterAll(() => app?.close());

let seq = 0;
const publish = (events: Envelope[]) => publishAndSettle(app, events);
const customer = (id: string) =>
  createEnvelope({
    type: 'erp.customer.upserted.v1',
    source: SOURCE,
    key: id,
    payload: { externalId: id, name: `Customer ${id}` },
  });
/** `n` orders of a customer spread over the days [from, to). */
const orders = (c: string, n: number, from: number, to: number) =>
  Array.from({ length: n }, (_, i) => {
    const id = `${c}-${++seq}`;
    return createEnvelope({
      type: 'erp.order.upserted.v1',
      source: SOURCE,
      key: id,
      payload: {
        externalId: id,
        customerExternalId: c,
        orderedAt: day(from + Math.floor(((to - from) * i) / n)),
        lines: [{ sku: 'X', quantity: 1, unitPrice: 100 }],
      },
    });
  });

it('moves customers through lifecycle stages as their orders rise and fall', async () => {
  await publish(['RISE', 'FALL', 'FLAT', 'NEW'].map(customer));
  // Windows of 90 days before day 400: previous = days 220-310, recent = 310-400.
  await publish([
    ...orders('RISE', 3, 0, 220),
    ...orders('RISE', 4, 220, 310),
    ...orders('RISE', 12, 310, 400),
    ...orders('FALL', 3, 0, 220),
    ...orders('FALL', 12, 220, 310),
    ...orders('FALL', 3, 310, 400),
    ...orders('FLAT', 3, 0, 220),
    ...orders('FLAT', 8, 220, 310),
    ...orders('FLAT', 8, 310, 400),
    ...orders('NEW', 2, 380, 400),
  ]);
  const http = request(app.app.getHttpServer());
  const stages = async (asOf: string) => {
    await http.post('/segments/classify').send({ asOf, windowDays: 90 }).expect(200);
    const rows = await app.database.db.sql<{ external_id: string; lifecycle: string }>(
      `SELECT r.external_id, s.lifecycle FROM crm_customer_segment s JOIN crm_customer_record r ON r.customer_id = s.customer_id ORDER BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.external_id, r.lifecycle]));
  };
  expect(await stages(day(400))).toEqual({
    FALL: 'decline',
    FLAT: 'stable',
    NEW: 'trial',
    RISE: 'formation',
  });

  // FALL recovers strongly in the next window; RISE goes quiet.
  await publish([
    ...orders('FALL', 10, 400, 490),
    ...orders('NEW', 6, 400, 490),
    ...orders('FLAT', 8, 400, 490),
  ]);
  expect(await stages(day(490))).toEqual({
    FALL: 'formation',
    FLAT: 'stable',
    NEW: 'trial',
    RISE: 'decline',
  });

  const events = await app.database.db.sql<{ type: string; envelope: { payload: Record<string, string> } }>(
    `SELECT type, envelope FROM outbox WHERE type = 'crm.customer.segment-changed.v1' ORDER BY id`,
  );
  // 4 first classifications; then FALL and RISE changed stage, NEW, grown, moved from C to B, and the
  // VIP flag (top revenue) may have moved between the two largest customers: 7 or 8 events.
  expect(events.slice(0, 4).every((e) => e.envelope.payload.previousAbc === null)).toBe(true);
  expect(events.length).toBeGreaterThanOrEqual(7);
  expect(events.length).toBeLessThanOrEqual(8);
  const later = events.slice(4).map((e) => e.envelope.payload);
  expect(
    later
      .filter((p) => p.previousLifecycle !== p.lifecycle)
      .map((p) => [p.previousLifecycle, p.lifecycle])
      .sort(),
  ).toEqual([
    ['decline', 'formation'],
    ['formation', 'decline'],
  ]);
  expect(later.filter((p) => p.previousAbc !== p.abc).map((p) => [p.previousAbc, p.abc])).toEqual([
    ['C', 'B'],
  ]);
  expect(later[0].reason).toMatch(/orders \d+ -> \d+ per 90 days/);
});

it('values customers: margin and CLV from recorded costs, profitability × growth with its service policy, one VIP', async () => {
  const http = request(app.app.getHttpServer());
  const [{ customer_id: rise }] = await app.database.db.sql<{ customer_id: string }>(
    `SELECT customer_id FROM crm_customer_record WHERE external_id = 'RISE'`,
  );
  await http
    .put(`/customers/${rise}/costs`)
    .send({ entries: [{ month: '2027-13', amount: 1 }] })
    .expect(400);
  const costs = await http
    .put(`/customers/${rise}/costs`)
    .send({ entries: [{ month: '2027-03', amount: 100, note: 'warehouse + transport' }] })
    .expect(200);
  expect(costs.body).toEqual([{ month: '2027-03', amount: 100, note: 'warehouse + transport' }]);
  await http
    .post('/segments/classify')
    .send({ asOf: day(490), windowDays: 90 })
    .expect(200);
  const seg = (await http.get(`/customers/${rise}/segment`).expect(200)).body;
  // 17 orders of 100 in the 12 months before day 490 (days 146 to 400), cost 100.
  expect(seg.margin).toBeCloseTo(1600, 2);
  expect(seg.valueClass).toBe('profitable');
  expect(seg.servicePolicy).toMatch(/^Protect/);
  const expectedClv = [1, 2, 3, 4, 5].reduce((s, t) => s + (1600 * 0.6 ** (t - 1)) / 1.08 ** t, 0); // in decline
  expect(seg.clv).toBeCloseTo(expectedClv, 1);
  expect(seg.reason).toMatch(/profitable: margin 94.1 % >= 15 %; CLV .* r 0.6 \(in decline\)/);
  const vips = await app.database.db.sql<{ n: string }>(
    `SELECT count(*) AS n FROM crm_customer_segment WHERE vip`,
  );
  expect(Number(vips[0].n)).toBe(1);
});

it('estimates sales lost through poor service per month and cause, next to the logistics cost', async () => {
  const http = request(app.app.getHttpServer());
  // A damaged shipment for FALL on day 300 (28 Oct 2026) opens a case: a service failure in October.
  await publish([
    createEnvelope({
      type: 'tms.delivery.status-changed.v1',
      source: SOURCE,
      key: 'SHP-FALL',
      occurredAt: day(300),
      payload: {
        externalId: 'SHP-FALL',
        status: 'EXCEPTION',
        exceptionType: 'DAMAGE',
        customerExternalId: 'FALL',
      },
    }),
  ]);
  const res = (
    await http.get('/service-cost').query({ from: '2026-10', to: '2026-10', windowMonths: 3 }).expect(200)
  ).body;
  expect(res.assumptions).toMatchObject({ windowMonths: 3, wordOfMouth: 2, prospectConversion: 0.05 });
  const [oct] = res.months;
  expect(oct.month).toBe('2026-10');
  expect(oct.customersWithFailures).toBe(1);
  const [fall] = oct.lostSales.customers;
  // Independently: FALL's order revenue July-September vs November-January.
  const [{ before, after }] = await app.database.db.sql<{ before: number; after: number }>(
    `SELECT coalesce(sum(total_amount) FILTER (WHERE ordered_at >= '2026-07-01' AND ordered_at < '2026-10-01'), 0)::float AS before,
            coalesce(sum(total_amount) FILTER (WHERE ordered_at >= '2026-11-01' AND ordered_at < '2027-02-01'), 0)::float AS after
       FROM crm_order WHERE customer_external_id = 'FALL'`,
  );
  expect(before).toBeGreaterThan(after);
  expect(fall).toMatchObject({
    name: 'Customer FALL',
    causes: ['damage'],
    before,
    after,
    lost: before - after,
  });
  expect(oct.lostSales.byCause).toEqual({ damage: before - after });
  expect(oct.lostSales.lostProspects).toBeCloseTo(1 * 2 * 0.05 * res.assumptions.newCustomerRevenue, 2);
  expect(oct.logisticsCost).toMatchObject({ costToServe: 0 });
  await http.get('/service-cost').query({ from: '2026-12', to: '2026-10' }).expect(400);
});
