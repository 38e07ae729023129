/**
 * Service KPIs from a fixture of deliveries (promised and actual times), a damage exception, a
 * complaint, orders with shipped quantities, invoices (one disputed, one with a dispute case) and
 * warehouse counts: values match hand-computed expectations, each drill-down returns exactly the
 * contributing records, a late event that changes one delivery updates the KPI, and a missed
 * target emits crm.kpi.target-missed.v1 once.
 * Real: PostgreSQL, the app (handlers, HTTP, outbox) on the in-process bus. Mocked: nothing.
 */
import { createEnvelope, Envelope, MessageType } from '@tradelane/contracts';
import { AppOnDatabase, bootAppOnNewDatabase, publishAndSettle } from '@tradelane/testing';
import request from 'supertest';

jest.setTimeout(60_000);

// Its shipments are from fixed dates in 2026: inside the window in which shipment events open cases.
process.env.CRM_CASE_EVENT_MAX_AGE_HOURS = String(24 * 365 * 5);

let app: AppOnDatabase;
let http: ReturnType<typeof request>;
const ERP = 'erp-kpi:main';
const TMS = 'tms-kpi:main';
const WMS = 'wms-kpi:main';
const nov = (d: number, h: number, m = 0) => new Date(Date.UTC(2026, 10, d, h, m)).toISOString();

beforeAll(async () => {
  process.env.CRM_KPI_ALERT_LOOKBACK_DAYS = '36500'; // the fixture's November 2026 alerts whenever this runs
  app = await bootAppOnNewDatabase('kpis');
  http = request(app.app.getHttpServer());
});
afterAll(async () => {
  delete process.env.CRM_KPI_ALERT_LOOKBACK_DAYS;
  await app?.close();
});

const publish = (events: Envelope[]) => publishAndSettle(app, events);
const refresh = () => http.post('/kpis/refresh').expect(200);
const ev = (type: string, source: string, payload: Record<string, unknown>, occurredAt?: string) =>
  createEnvelope({
    type: type as MessageType,
    source,
    key: String(payload.externalId),
    payload: payload as never,
    ...(occurredAt ? { occurredAt } : {}),
  });
const delivered = (
  id: string,
  promisedTo: string,
  deliveredAt: string,
  extra: Record<string, unknown> = {},
) =>
  ev(
    'tms.delivery.status-changed.v1',
    TMS,
    { externalId: id, status: 'DELIVERED', promisedTo, deliveredAt, ...extra },
    deliveredAt,
  );
const idOf = async (table: string, source: string, externalId: string) =>
  (
    await app.database.db.sql<{ id: string }>(
      `SELECT id FROM ${table} WHERE source = $1 AND external_id = $2`,
      [source, externalId],
    )
  )[0].id;

it('computes every KPI as computed by hand, with drill-downs to exactly its records, and follows a late event', async () => {
  await publish([
    ev('erp.customer.upserted.v1', ERP, { externalId: 'K1', name: 'Kappa Foods' }),
    ev('erp.order.upserted.v1', ERP, {
      externalId: 'O1',
      customerExternalId: 'K1',
      orderedAt: nov(1, 0),
      lines: [
        { sku: 'A', quantity: 10, unitPrice: 1, quantityShipped: 10 },
        { sku: 'B', quantity: 5, unitPrice: 1, quantityShipped: 3 },
      ],
    }),
    ev('erp.order.upserted.v1', ERP, {
      externalId: 'O2',
      customerExternalId: 'K1',
      orderedAt: nov(2, 0),
      lines: [{ sku: 'A', quantity: 2, unitPrice: 1, quantityShipped: 2 }],
    }),
  ]);
  const customerId = (
    await app.database.db.sql<{ customer_id: string }>(
      `SELECT customer_id FROM crm_customer_record WHERE external_id = 'K1'`,
    )
  )[0].customer_id;
  const onK1 = { customerSource: ERP, customerExternalId: 'K1' };
  await publish([
    // D1 on time (O1, 34 h after the order), D2 two hours late (O2, 38 h), D3 on time but damaged,
    // D4 on time but wrong items (complaint below), D5 still in transit, D6 on time.
    delivered('D1', nov(2, 12), nov(2, 10), {
      orderExternalId: 'O1',
      orderSource: ERP,
      promisedFrom: nov(2, 8),
    }),
    delivered('D2', nov(3, 12), nov(3, 14), { orderExternalId: 'O2', orderSource: ERP }),
    ev(
      'tms.delivery.status-changed.v1',
      TMS,
      { externalId: 'D3', status: 'EXCEPTION', exceptionType: 'DAMAGE', ...onK1 },
      nov(4, 9),
    ),
    delivered('D3', nov(4, 12), nov(4, 11), onK1),
    delivered('D4', nov(5, 12), nov(5, 11), onK1),
    ev('tms.delivery.status-changed.v1', TMS, { externalId: 'D5', status: 'IN_TRANSIT', ...onK1 }, nov(6, 9)),
    delivered('D6', nov(7, 12), nov(7, 9), onK1),
    ev('erp.invoice.upserted.v1', ERP, {
      externalId: 'I1',
      customerExternalId: 'K1',
      issuedAt: nov(10, 9),
      dueAt: nov(30, 9),
      currency: 'EUR',
      totalAmount: 100,
      status: 'OPEN',
      disputed: true,
    }),
    ev('erp.invoice.upserted.v1', ERP, {
      externalId: 'I2',
      customerExternalId: 'K1',
      issuedAt: nov(11, 9),
      dueAt: nov(30, 9),
      currency: 'EUR',
      totalAmount: 100,
      status: 'OPEN',
    }),
    ev('erp.invoice.upserted.v1', ERP, {
      externalId: 'I3',
      customerExternalId: 'K1',
      issuedAt: nov(12, 9),
      dueAt: nov(30, 9),
      currency: 'EUR',
      totalAmount: 100,
      status: 'OPEN',
    }),
    ev('wms.inventory.counted.v1', WMS, {
      externalId: 'C1',
      ...onK1,
      sku: 'A',
      countedAt: nov(15, 9),
      systemQuantity: 10,
      countedQuantity: 10,
    }),
    ev('wms.inventory.counted.v1', WMS, {
      externalId: 'C2',
      ...onK1,
      sku: 'B',
      countedAt: nov(15, 9),
      systemQuantity: 5,
      countedQuantity: 4,
    }),
  ]);
  await http
    .post('/cases')
    .send({
      customerId,
      type: 'wrong_delivery',
      subject: 'Got B instead of A',
      delivery: { source: TMS, externalId: 'D4' },
    })
    .expect(201);
  await http
    .post('/cases')
    .send({
      customerId,
      type: 'invoice_dispute',
      subject: 'Rate card',
      invoice: { source: ERP, externalId: 'I3' },
    })
    .expect(201);
  await refresh();

  const ids = {
    D1: await idOf('crm_delivery', TMS, 'D1'),
    D2: await idOf('crm_delivery', TMS, 'D2'),
    D3: await idOf('crm_delivery', TMS, 'D3'),
    D4: await idOf('crm_delivery', TMS, 'D4'),
    D6: await idOf('crm_delivery', TMS, 'D6'),
    O1: await idOf('crm_order', ERP, 'O1'),
    O2: await idOf('crm_order', ERP, 'O2'),
    I1: await idOf('crm_invoice', ERP, 'I1'),
    I2: await idOf('crm_invoice', ERP, 'I2'),
    I3: await idOf('crm_invoice', ERP, 'I3'),
    C1: await idOf('crm_inventory_count', WMS, 'C1'),
    C2: await idOf('crm_inventory_count', WMS, 'C2'),
  };
  const month = async () => {
    const res = await http
      .get(`/customers/${customerId}/kpis?period=month&from=2026-11-01&to=2026-11-01`)
      .expect(200);
    return Object.fromEntries(
      (
        res.body.values as {
          kpi: string;
          value: number;
          n: number;
          p90: number | null;
          met: boolean | null;
        }[]
      ).map((v) => [v.kpi, v]),
    );
  };
  const v = await month();
  const delivered5 = [ids.D1, ids.D2, ids.D3, ids.D4, ids.D6];
  expect(v.on_time_delivery).toMatchObject({ n: 5, value: 0.8, met: false }); // D2 late; target 99 %
  expect(v.delivery_accuracy).toMatchObject({ n: 5, value: 0.8 }); // D4 wrong items
  expect(v.complaint_free).toMatchObject({ n: 5, value: 0.6 }); // D3 damage case, D4 complaint
  expect(v.damage_rate).toMatchObject({ n: 5, value: 0.2, met: false }); // D3; target <= 0.1 %
  expect(v.order_cycle_time).toMatchObject({ n: 2, value: 36, p90: 37.6 }); // 34 h and 38 h
  expect(v.fill_rate.n).toBe(3);
  expect(v.fill_rate.value).toBeCloseTo(2 / 3, 6); // O1 line B short
  expect(v.invoice_accuracy.n).toBe(3);
  expect(v.invoice_accuracy.value).toBeCloseTo(1 / 3, 6); // I1 flagged, I3 dispute case
  expect(v.inventory_accuracy).toMatchObject({ n: 2, value: 0.5 });

  const drill = async (kpi: string) => {
    const res = await http
      .get(`/customers/${customerId}/kpis/${kpi}/records?period=month&start=2026-11-01`)
      .expect(200);
    return res.body as { n: number; items: { id: string; hit: boolean; part: number; ref: string }[] };
  };
  const sorted = (xs: string[]) => [...xs].sort();
  const onTime = await drill('on_time_delivery');
  expect(sorted(onTime.items.map((i) => i.id))).toEqual(sorted(delivered5));
  expect(onTime.items.filter((i) => !i.hit).map((i) => i.ref)).toEqual([`${TMS}/D2`]);
  expect(sorted((await drill('damage_rate')).items.filter((i) => i.hit).map((i) => i.id))).toEqual([ids.D3]);
  expect(sorted((await drill('complaint_free')).items.filter((i) => !i.hit).map((i) => i.id))).toEqual(
    sorted([ids.D3, ids.D4]),
  );
  expect(sorted((await drill('order_cycle_time')).items.map((i) => i.id))).toEqual(sorted([ids.O1, ids.O2]));
  const fill = await drill('fill_rate');
  expect(fill.items.map((i) => [i.id, i.part, i.hit])).toEqual(
    expect.arrayContaining([
      [ids.O1, 0, true],
      [ids.O1, 1, false],
      [ids.O2, 0, true],
    ]),
  );
  expect(fill.items).toHaveLength(3);
  expect(sorted((await drill('invoice_accuracy')).items.filter((i) => !i.hit).map((i) => i.id))).toEqual(
    sorted([ids.I1, ids.I3]),
  );
  expect(sorted((await drill('inventory_accuracy')).items.map((i) => i.id))).toEqual(
    sorted([ids.C1, ids.C2]),
  );
  // A week and a day too: the week of Mon 2 Nov holds D1-D4 and D6 (Sat 7 Nov), 3 Nov only D2.
  const week = await http
    .get(`/customers/${customerId}/kpis/on_time_delivery/records?period=week&start=2026-11-02`)
    .expect(200);
  expect(week.body.n).toBe(5);
  const day = await http
    .get(`/customers/${customerId}/kpis/on_time_delivery/records?period=day&start=2026-11-03`)
    .expect(200);
  expect(day.body.items.map((i: { id: string }) => i.id)).toEqual([ids.D2]);
  await http
    .get(`/customers/${customerId}/kpis/on_time_delivery/records?period=week&start=2026-11-03`)
    .expect(400);

  const missed = async () =>
    (
      await app.database.db.sql<{ kpi: string }>(
        `SELECT envelope->'payload'->>'kpi' AS kpi FROM outbox WHERE type = 'crm.kpi.target-missed.v1' ORDER BY id`,
      )
    ).map((r) => r.kpi);
  expect((await missed()).sort()).toEqual(
    ['complaint_free', 'damage_rate', 'delivery_accuracy', 'on_time_delivery', 'inventory_accuracy'].sort(),
  );

  // The carrier corrects D2's delivery time (a later event): on time now, 5 of 5.
  await publish(
    [delivered('D2', nov(3, 12), nov(3, 11, 30), { orderExternalId: 'O2', orderSource: ERP })].map((e) => ({
      ...e,
      occurredAt: nov(20, 9),
    })),
  );
  await refresh();
  const after = await month();
  expect(after.on_time_delivery).toMatchObject({ n: 5, value: 1, met: true });
  expect(after.order_cycle_time).toMatchObject({ n: 2, value: 34.75 }); // 34 h and 35.5 h
  expect(after.damage_rate).toMatchObject({ value: 0.2 }); // unchanged
  expect((await drill('on_time_delivery')).items.every((i) => i.hit)).toBe(true);
  // Missing again is a new breach; still missing is not: nothing new was emitted.
  expect(await missed()).toHaveLength(5);

  // A tier agreement with a lower on-time target; the customer on it; recompute uses it.
  await http
    .put('/agreements/tiers/bronze')
    .send({ targets: { damage_rate: 0.25, complaint_free: 0.5 } })
    .expect(200);
  await http
    .put(`/customers/${customerId}/agreement`)
    .send({ tier: 'bronze', settings: { shareScorecard: true } })
    .expect(200);
  const agreement = await http.get(`/customers/${customerId}/agreement`).expect(200);
  expect(agreement.body).toMatchObject({
    tier: 'bronze',
    from: { 'targets.damage_rate': 'tier', shareScorecard: 'customer' },
  });
  await http.post('/kpis/recompute?wait=true').expect(200);
  const recomputed = await month();
  expect(recomputed.damage_rate).toMatchObject({ value: 0.2, met: true });
  expect(recomputed.complaint_free).toMatchObject({ value: 0.6, met: true });
  const tier = await http.get('/kpis/tiers/bronze?period=month&start=2026-11-01').expect(200);
  expect(tier.body.values.find((x: { kpi: string }) => x.kpi === 'damage_rate')).toMatchObject({
    customers: 1,
    n: 5,
    value: 0.2,
    met: true,
  });
  const card = await http.get(`/customers/${customerId}/scorecard?from=2026-11-01&to=2026-11-01`).expect(200);
  expect(card.body.values.find((x: { kpi: string }) => x.kpi === 'on_time_delivery')).toMatchObject({
    value: 1,
    target: 0.99,
    met: true,
  });
  await http
    .put('/agreements/tiers/bronze')
    .send({ targets: { damage_rate: 2 } })
    .expect(400);
  await http.put('/agreements/tiers/bronze').send({ target: {} }).expect(400);
});
