/**
 * Carriers' X12 end to end: a 214 dropped for a known shipment moves the delivery on the customer
 * 360 and gets its 997; the same interchange again is acknowledged again and not ingested twice;
 * an unknown sender's file is kept until the partner is added through the API, then redriven; a
 * set the partner did not agree is rejected alone (997 R, dead letter holding just that set) while
 * the good set of the same interchange lands, and lands too once the agreement is changed and the
 * dead letter redriven; status events in any order end in the same state (property).
 * Real: PostgreSQL, RabbitMQ, the app (file job, handlers, relay, HTTP), the captured files.
 * Mocked: nothing.
 */
import { ConnectorSendService, FileDropJob, WebhookService } from '@tradelane/connector-host';
import { readX12 } from '@tradelane/connector-sdk/edi';
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { INBOUND_EXCHANGE } from '@tradelane/messaging';
import { TestApp, TestDatabase, waitFor } from '@tradelane/testing';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { ConnectorApp, startConnectorApp } from './support/connector-app';

jest.setTimeout(180_000);

const FIXTURES = path.resolve(__dirname, '../../plugins/transport-x12/src/__fixtures__');
const STATUS_214 = fs.readFileSync(path.join(FIXTURES, 'edinet_214_bom_isa_split_across_lines.edi'));
const TENDER_RESPONSES = fs.readFileSync(path.join(FIXTURES, 'nodex12edi_990_accept_decline_counter.edi'));
const INSTANCE = 'transport-x12:carriers';
const ERP = 'erp-test:main';

let ctx: ConnectorApp;
let database: TestDatabase;
let app: TestApp;
let drop: string;
let out: string;
const http = () => request(app.app.getHttpServer());

beforeAll(async () => {
  ctx = await startConnectorApp('edi_x12', { CONNECTOR_FILE_POLL_SECONDS: '3600' });
  ({ database, app } = ctx);
  drop = fs.mkdtempSync(path.join(os.tmpdir(), 'x12-drop-'));
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'x12-out-'));
  await ctx.instances.add({
    connector: 'transport-x12',
    name: 'carriers',
    config: { dropFolder: drop, outboundFolder: out, orderSource: ERP, interchangeId: 'MGCTLYST' },
  });
  await http()
    .post('/trading-partners')
    .send({
      name: 'MGC carrier',
      standard: 'x12',
      qualifier: '02',
      interchangeId: 'scac',
      customerExternalId: 'CATALYST',
      customerSource: ERP,
      timeZone: 'America/New_York',
      transactionSets: ['214'],
    })
    .expect(201);
  // The shipper's ERP holds the customer and the order the carrier's 214 refers to (B1002).
  const erp = (type: string, key: string, payload: object): Envelope =>
    createEnvelope({ type: type as never, source: ERP, key, payload: payload as never });
  await app.bus.publish(
    INBOUND_EXCHANGE,
    erp('erp.customer.upserted.v1', 'CATALYST', {
      externalId: 'CATALYST',
      name: 'Catalyst Paper',
      country: 'US',
    }),
  );
  await app.bus.publish(
    INBOUND_EXCHANGE,
    erp('erp.order.upserted.v1', '75027674', {
      externalId: '75027674',
      customerExternalId: 'CATALYST',
      orderedAt: '2016-07-20T10:00:00.000Z',
      lines: [{ sku: 'PAPER', quantity: 3, unitPrice: 100 }],
    }),
  );
  await waitFor(
    async () =>
      (await database.db.sql(`SELECT 1 FROM crm_order WHERE external_id = '75027674'`)).length === 1,
    {
      what: 'the ERP order',
    },
  );
});

afterAll(async () => {
  await ctx?.close();
  for (const d of [drop, out]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

const take = () => app.app.get(FileDropJob).runOnce();
const delivery = (externalId: string) =>
  database.db
    .sql<{ status: string; delivered_at: Date | null; event_count: number; order_external_id: string }>(
      `SELECT status, delivered_at, event_count, order_external_id FROM crm_delivery WHERE source = $1 AND external_id = $2`,
      [INSTANCE, externalId],
    )
    .then((r) => r[0]);
const deadLetters = () =>
  database.db.sql<{
    message_id: string;
    type: string;
    error_message: string;
    error_field: string;
    body: Buffer;
  }>(
    `SELECT message_id, type, error_message, error_field, body FROM dead_letter WHERE source = $1 AND redriven_at IS NULL ORDER BY dead_lettered_at`,
    [INSTANCE],
  );
const ackFiles = () =>
  fs
    .readdirSync(out)
    .filter((f) => f.endsWith('.x12'))
    .sort();
const controls = (name: string) => {
  const ic = readX12(fs.readFileSync(path.join(out, name), 'utf8')).interchanges[0];
  return [ic.control, ic.groups[0].control, ic.groups[0].sets[0].control];
};
let firstControls: string[];
const ack = (name: string) =>
  readX12(fs.readFileSync(path.join(out, name), 'utf8')).interchanges[0].groups[0].sets[0].segments.map((s) =>
    s.elements.join('*'),
  );

it('moves the delivery on the customer 360 from a dropped 214 and answers with a 997', async () => {
  fs.writeFileSync(path.join(drop, '001_status.edi'), STATUS_214);
  expect(await take()).toBe(1);
  const d = await waitFor(
    async () => (await delivery('75027674'))?.status === 'DELIVERED' && delivery('75027674'),
    {
      what: 'the delivery of the 214',
    },
  );
  expect(d).toMatchObject({
    order_external_id: '75027674',
    delivered_at: new Date('2016-07-26T16:30:00.000Z'),
  });
  const [record] = await database.db.sql<{ customer_id: string }>(
    `SELECT customer_id FROM crm_customer_record WHERE source = $1 AND external_id = 'CATALYST'`,
    [ERP],
  );
  const page = await http().get(`/customers/${record.customer_id}/deliveries`).expect(200);
  expect(page.body.items).toEqual([
    expect.objectContaining({ externalId: '75027674', status: 'DELIVERED', source: INSTANCE }),
  ]);
  await waitFor(async () => ackFiles().length === 1, { what: 'the 997' });
  expect(ackFiles()).toEqual(['997_SCAC_000082265_82265.x12']);
  expect(ack(ackFiles()[0]).slice(1, -1)).toEqual([
    'AK1*QM*82265',
    'AK2*214*822650001',
    'AK5*A',
    'AK9*A*1*1*1',
  ]);
  firstControls = controls(ackFiles()[0]);
});

it('acknowledges a duplicate interchange again and does not ingest it twice', async () => {
  const before = await delivery('75027674');
  const events = await database.db.sql(
    `SELECT 1 FROM crm_delivery_event WHERE delivery_external_id = '75027674'`,
  );
  fs.rmSync(path.join(out, '997_SCAC_000082265_82265.x12'));
  fs.writeFileSync(path.join(drop, '002_status_again.edi'), STATUS_214);
  expect(await take()).toBe(1);
  await waitFor(async () => ackFiles().includes('997_SCAC_000082265_82265.x12'), {
    what: 'the 997 written again',
  });
  // The 997 carries the same control numbers as the first one (the same key in the series).
  expect(controls('997_SCAC_000082265_82265.x12')).toEqual(firstControls);
  // Registered with the translation's transaction (the 997 is written just before it commits).
  await waitFor(
    async () =>
      (
        await database.db.sql<{ times: number }>(
          `SELECT times FROM edi_interchange_received WHERE control = '000082265'`,
        )
      )[0]?.times === 2,
    { what: 'the duplicate registered' },
  );
  expect(await delivery('75027674')).toEqual(before);
  expect(
    await database.db.sql(`SELECT 1 FROM crm_delivery_event WHERE delivery_external_id = '75027674'`),
  ).toHaveLength(events.length);
  const partners = await http().get('/trading-partners?q=scac').expect(200);
  expect(partners.body.items).toEqual([
    expect.objectContaining({ name: 'MGC carrier', lastControl: '000082265' }),
  ]);
});

it("keeps an unknown sender's file until the partner is added, then takes it on redrive", async () => {
  fs.writeFileSync(path.join(drop, '003_responses.edi'), TENDER_RESPONSES);
  expect(await take()).toBe(1);
  const [dead] = await waitFor(
    async () => {
      const rows = await deadLetters();
      if (rows.length > 1) throw new Error(rows.map((r) => r.error_message).join(' | '));
      return rows.length === 1 ? rows : undefined;
    },
    { what: 'the unknown sender dead-lettered' },
  );
  expect(dead).toMatchObject({ type: 'connector.webhook.received.v1', error_field: 'ISA06' });
  expect(dead.error_message).toMatch(
    /interchange 000000742 \(byte 0\) comes from ZZ\/ITC-WEBSITENAME, which is not a trading partner/,
  );
  await http()
    .post('/trading-partners')
    .send({
      name: 'ITC',
      standard: 'x12',
      qualifier: 'ZZ',
      interchangeId: 'ITC-WEBSITENAME',
      transactionSets: ['990'],
    })
    .expect(201);
  await http().post('/dead-letters/redrive').send({ messageId: dead.message_id }).expect(200);
  await waitFor(async () => (await delivery('876818668126-189'))?.status === 'CANCELLED', {
    what: 'the declined tender, after the redrive',
  });
  expect((await delivery('1055337'))?.status).toBe('PLANNED');
});

it('rejects a set the partner did not agree, alone, and takes it once the agreement allows it', async () => {
  // One interchange, two functional groups: a 214 (agreed) and a 210 (not agreed yet).
  const text = [
    'ISA*00*          *00*          *02*SCAC           *ZZ*MGCTLYST       *161001*0900*U*00401*000082300*0*P*>',
    'GS*QM*SCAC*MGCTLYST*20161001*0900*82300*X*004010',
    'ST*214*0001',
    'B10*PRO-9*SHIP-9*SCAC',
    'LX*1',
    'AT7*AF*NS***20161001*0800*ET',
    'SE*5*0001',
    'GE*1*82300',
    'GS*IM*SCAC*MGCTLYST*20161001*0900*82301*X*004010',
    'ST*210*0001',
    'B3**INV-9*SHIP-9*PP**20161001*12345',
    'SE*3*0001',
    'GE*1*82301',
    'IEA*2*000082300',
  ].join('~\n');
  fs.writeFileSync(path.join(drop, '004_mixed.edi'), text);
  expect(await take()).toBe(1);
  await waitFor(async () => (await delivery('SHIP-9'))?.status === 'PICKED_UP', { what: 'the agreed 214' });
  const dead = await waitFor(
    async () =>
      (await deadLetters()).find((d) => d.error_message.includes('INV-9') || d.error_message.includes('210')),
    {
      what: 'the 210 dead-lettered alone',
    },
  );
  expect(dead.error_message).toMatch(
    /interchange 000082300 group 82301 transaction set 210 0001 rejected: transaction set 210 is not one agreed with MGC carrier/,
  );
  const kept = JSON.parse(dead.body.toString('utf8')) as { payload: { bodyBase64: string } };
  const alone = readX12(Buffer.from(kept.payload.bodyBase64, 'base64').toString('utf8'));
  expect(alone.interchanges[0].groups.map((g) => g.sets.map((s) => s.type))).toEqual([['210']]);
  await waitFor(async () => ackFiles().includes('997_SCAC_000082300_82301.x12'), {
    what: 'the 997 of the 210 group',
  });
  expect(ack('997_SCAC_000082300_82301.x12').slice(1, -1)).toEqual([
    'AK1*IM*82301',
    'AK2*210*0001',
    'AK5*R*1',
    'AK9*R*1*1*0',
  ]);
  const [partner] = (await http().get('/trading-partners?q=MGC').expect(200)).body.items as { id: string }[];
  await http()
    .patch(`/trading-partners/${partner.id}`)
    .send({ transactionSets: ['214', '210'] })
    .expect(200);
  await http().post('/dead-letters/redrive').send({ messageId: dead.message_id }).expect(200);
  await waitFor(
    async () =>
      (
        await database.db.sql(`SELECT 1 FROM crm_invoice WHERE source = $1 AND external_id = 'INV-9'`, [
          INSTANCE,
        ])
      ).length === 1,
    { what: 'the 210 invoice after the redrive' },
  );
  const [invoice] = await database.db.sql<{ total: number; customer_external_id: string }>(
    `SELECT total_amount::float AS total, customer_external_id FROM crm_invoice WHERE external_id = 'INV-9'`,
  );
  expect(invoice).toEqual({ total: 123.45, customer_external_id: 'CATALYST' });
});

it('ends in the same delivery state whatever order the status events arrive in (property)', async () => {
  const STEPS: [string, string][] = [
    ['AF', '0800'],
    ['X6', '1000'],
    ['SD', '1100'],
    ['OO', '1300'],
    ['D1', '1530'],
  ];
  const webhooks = app.app.get(WebhookService);
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.shuffledSubarray(
        STEPS.map((_, i) => i),
        { minLength: STEPS.length, maxLength: STEPS.length },
      ),
      async (order) => {
        run++;
        const shipment = `SHUF-${run}`;
        for (const [n, i] of order.entries()) {
          const [code, time] = STEPS[i];
          const control = String(83000 + run * 10 + n).padStart(9, '0');
          const text = [
            `ISA*00*          *00*          *02*SCAC           *ZZ*MGCTLYST       *161002*0900*U*00401*${control}*0*P*>`,
            `GS*QM*SCAC*MGCTLYST*20161002*0900*${Number(control)}*X*004010`,
            'ST*214*0001',
            `B10*PRO-${run}*${shipment}*SCAC`,
            'LX*1',
            `AT7*${code}*NS***20161002*${time}*UT`,
            'SE*5*0001',
            `GE*1*${Number(control)}`,
            `IEA*1*${control}`,
          ].join('~\n');
          await webhooks.publish(INSTANCE, 'default', 'x12', Buffer.from(text), {
            'x-file-name': `${shipment}-${n}.edi`,
          });
        }
        const d = await waitFor(
          async () => {
            const row = await delivery(shipment);
            return row?.event_count === STEPS.length ? row : undefined;
          },
          { what: `the ${STEPS.length} events of ${shipment}` },
        );
        expect(d.status).toBe('DELIVERED');
        expect(d.delivered_at).toEqual(new Date('2016-10-02T15:30:00.000Z'));
      },
    ),
    { numRuns: 6 },
  );
});

it('sends an order to a warehouse: the request becomes a 940 there; other instances and unknown orders are refused', async () => {
  const wh = fs.mkdtempSync(path.join(os.tmpdir(), 'x12-wh-out-'));
  try {
    await ctx.instances.add({
      connector: 'warehouse-x12',
      name: 'dc1',
      config: { outboundFolder: wh, warehouseId: 'DC1' },
    });
    // An instance whose connector sends no shipping orders (SAP takes customer changes only).
    await ctx.instances.add({ connector: 'erp-sap-idoc', name: 'de', config: {} });
    await http()
      .post('/connector-instances/erp-sap-idoc:de/fulfilment-requests')
      .send({ orderId: `${ERP}/75027674` })
      .expect(400)
      .expect((r) => expect(r.body.message).toMatch(/cannot take fulfilment requests/));
    await http()
      .post('/connector-instances/warehouse-x12:dc1/fulfilment-requests')
      .send({ orderId: `${ERP}/NOPE` })
      .expect(404);
    const accepted = await http()
      .post('/connector-instances/warehouse-x12:dc1/fulfilment-requests')
      .send({ orderId: `${ERP}/75027674`, note: 'ship on CHEP pallets' })
      .expect(202);
    expect(accepted.body).toMatchObject({ instance: 'warehouse-x12:dc1', orderExternalId: '75027674' });
    const sends = app.app.get(ConnectorSendService);
    const file = await waitFor(
      async () => {
        await sends.sendPending();
        return fs.readdirSync(wh).find((f) => f.startsWith('940_75027674_'));
      },
      { what: 'the 940 in the warehouse outbound folder' },
    );
    const set = readX12(fs.readFileSync(path.join(wh, file), 'utf8')).interchanges[0].groups[0].sets[0];
    expect(set.segments.map((s) => s.elements.join('*'))).toEqual(
      expect.arrayContaining([
        'W05*N*75027674',
        'N1*DE*Catalyst Paper*91*CATALYST',
        'NTE*WHI*ship on CHEP pallets',
        'W01*3*EA**VN*PAPER',
      ]),
    );
  } finally {
    fs.rmSync(wh, { recursive: true, force: true });
  }
});

it("keeps the customer's stock from a warehouse's 846, 944 and 947: levels, history, late changes not applied twice", async () => {
  const whDrop = fs.mkdtempSync(path.join(os.tmpdir(), 'x12-wh-in-'));
  const isa = (control: string) =>
    `ISA*00*          *00*          *ZZ*DALLASDC       *ZZ*TRADELANE      *261130*0600*U*00401*${control}*0*P*>`;
  /** One interchange holding one transaction set of `type` with these segments. */
  const doc = (control: string, fg: string, type: string, segments: string[]) =>
    [
      isa(control),
      `GS*${fg}*DALLASDC*TRADELANE*20261130*0600*${Number(control)}*X*004010`,
      `ST*${type}*0001`,
      ...segments,
      `SE*${segments.length + 2}*0001`,
      `GE*1*${Number(control)}`,
      `IEA*1*${control}`,
    ].join('~\n');
  try {
    await ctx.instances.add({ connector: 'warehouse-x12', name: 'dallas', config: { dropFolder: whDrop } });
    await http()
      .post('/trading-partners')
      .send({
        name: 'Dallas DC',
        standard: 'x12',
        qualifier: 'ZZ',
        interchangeId: 'DALLASDC',
        customerExternalId: 'CATALYST',
        customerSource: ERP,
        timeZone: 'America/Chicago',
      })
      .expect(201);
    // The advice at 06:00 says 120 on hand; a receipt at noon adds 24; an adjustment dated 05:00
    // (before the advice, so already in it) arrives last.
    const advice = doc('000000501', 'IB', '846', [
      'BIA*00*MB*INV-1*20261130*0600',
      'N1*WH*Dallas DC*92*DAL',
      'LIN*1*VN*PAPER',
      'QTY*33*120*EA',
    ]);
    const receipt = doc('000000502', 'RE', '944', [
      'W17*F*20261130*R-77*75027674',
      'N1*WH*Dallas DC*92*DAL',
      'W07*24*EA**VN*PAPER',
    ]);
    const late = doc('000000503', 'AW', '947', [
      'W15*20261130*ADJ-5',
      'N1*WH*Dallas DC*92*DAL',
      'LX*1',
      'W19*AA*-5*EA**VN*PAPER',
    ]);
    // W17 and W15 carry dates only: the receipt is dated the next day, the adjustment the day before.
    fs.writeFileSync(path.join(whDrop, '1_advice.edi'), advice);
    expect(await take()).toBe(1);
    await waitFor(async () => (await database.db.sql(`SELECT 1 FROM crm_stock_level`)).length === 1, {
      what: 'the advice',
    });
    fs.writeFileSync(path.join(whDrop, '2_receipt.edi'), receipt.replace('W17*F*20261130', 'W17*F*20261201'));
    fs.writeFileSync(path.join(whDrop, '3_late.edi'), late.replace('W15*20261130', 'W15*20261129'));
    expect(await take()).toBe(2);
    await waitFor(async () => (await database.db.sql(`SELECT 1 FROM crm_stock_movement`)).length === 3, {
      what: 'three stock events',
    });
    const [record] = await database.db.sql<{ customer_id: string }>(
      `SELECT customer_id FROM crm_customer_record WHERE source = $1 AND external_id = 'CATALYST'`,
      [ERP],
    );
    const levels = await http().get(`/customers/${record.customer_id}/stock`).expect(200);
    expect(levels.body).toMatchObject({
      total: 1,
      items: [
        {
          source: 'warehouse-x12:dallas',
          warehouse: 'DAL',
          sku: 'PAPER',
          lot: '',
          status: 'available',
          quantity: '144.000',
          unit: 'EA',
        },
      ],
    });
    const history = await http()
      .get(`/customers/${record.customer_id}/stock/movements?sku=PAPER`)
      .expect(200);
    expect(
      history.body.items.map((m: Record<string, unknown>) => [
        m.reason,
        m.quantity,
        m.change,
        m.levelAfter,
        m.applied,
      ]),
    ).toEqual([
      ['received', null, '24.000', '144.000', true],
      ['reported', '120.000', null, '120.000', true],
      ['adjusted', null, '-5.000', '144.000', false], // the level it found, unchanged
    ]);
    const view = await http().get(`/customers/${record.customer_id}`).expect(200);
    expect(view.body.stock).toMatchObject({ skus: 1, byStatus: { available: '144.000' } });
  } finally {
    fs.rmSync(whDrop, { recursive: true, force: true });
  }
});
