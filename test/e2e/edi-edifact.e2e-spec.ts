/**
 * EDIFACT end to end: a carrier's IFTSTA for a known shipment moves the delivery on the customer's
 * 360 and gets a CONTRL; an invoice with an impossible date is rejected alone (CONTRL UCM 4 with
 * UCS/UCD), kept as a dead letter holding just that message, while the interchange's other message
 * lands. Real: PostgreSQL, RabbitMQ, the app (file job, handlers, HTTP), the captured IFTSTA.
 * Mocked: nothing.
 */
import { FileDropJob } from '@tradelane/connector-host';
import { readEdifact } from '@tradelane/connector-sdk/edi';
import { createEnvelope } from '@tradelane/contracts';
import { INBOUND_EXCHANGE } from '@tradelane/messaging';
import { TestApp, TestDatabase, waitFor } from '@tradelane/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { ConnectorApp, startConnectorApp } from './support/connector-app';

jest.setTimeout(120_000);

const STATUS = fs.readFileSync(
  path.resolve(
    __dirname,
    '../../plugins/transport-edifact/src/__fixtures__/apimeister_IFTSTA_D00B_rail_container_status.edi',
  ),
);
const INSTANCE = 'transport-edifact:ocean';
const ERP = 'erp-test:main';
let ctx: ConnectorApp;
let database: TestDatabase;
let app: TestApp;
let drop: string;
let out: string;
const http = () => request(app.app.getHttpServer());

beforeAll(async () => {
  ctx = await startConnectorApp('edi_edifact', { CONNECTOR_FILE_POLL_SECONDS: '3600' });
  ({ database, app } = ctx);
  drop = fs.mkdtempSync(path.join(os.tmpdir(), 'edifact-drop-'));
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'edifact-out-'));
  await ctx.instances.add({
    connector: 'transport-edifact',
    name: 'ocean',
    config: {
      dropFolder: drop,
      outboundFolder: out,
      orderSource: ERP,
      interchangeId: 'RECEIVER',
      interchangeQualifier: 'ZZZ',
    },
  });
  await http()
    .post('/trading-partners')
    .send({
      name: 'Ocean carrier',
      standard: 'edifact',
      qualifier: 'ZZZ',
      interchangeId: 'SENDER',
      customerExternalId: 'ARAUCO',
      customerSource: ERP,
      timeZone: 'America/New_York',
    })
    .expect(201);
  // The shipper's order the carrier's status refers to (RFF CO 2023521591).
  for (const e of [
    createEnvelope({
      type: 'erp.customer.upserted.v1',
      source: ERP,
      key: 'ARAUCO',
      payload: { externalId: 'ARAUCO', name: 'Arauco', country: 'CL' },
    }),
    createEnvelope({
      type: 'erp.order.upserted.v1',
      source: ERP,
      key: '2023521591',
      payload: {
        externalId: '2023521591',
        customerExternalId: 'ARAUCO',
        orderedAt: '2022-11-01T10:00:00.000Z',
      },
    }),
  ])
    await app.bus.publish(INBOUND_EXCHANGE, e);
  await waitFor(
    async () =>
      (await database.db.sql(`SELECT 1 FROM crm_order WHERE external_id = '2023521591'`)).length === 1,
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

it("moves the container's delivery on the customer 360 from a dropped IFTSTA and answers with a CONTRL", async () => {
  fs.writeFileSync(path.join(drop, '1_status.edi'), STATUS);
  expect(await take()).toBe(1);
  await waitFor(
    async () =>
      (
        await database.db.sql(`SELECT 1 FROM crm_delivery WHERE source = $1 AND status = 'IN_TRANSIT'`, [
          INSTANCE,
        ])
      ).length === 1,
    { what: 'the delivery of the IFTSTA' },
  );
  const [record] = await database.db.sql<{ customer_id: string }>(
    `SELECT customer_id FROM crm_customer_record WHERE source = $1 AND external_id = 'ARAUCO'`,
    [ERP],
  );
  const page = await http().get(`/customers/${record.customer_id}/deliveries`).expect(200);
  expect(page.body.items).toEqual([
    expect.objectContaining({
      externalId: 'ABCD224O4023815X',
      status: 'IN_TRANSIT',
      orderExternalId: '2023521591',
      location: 'SYRACUSE',
      trackingRefs: ['TRHU4561222'],
    }),
  ]);
  await waitFor(async () => fs.readdirSync(out).includes('CONTRL_SENDER_2803570.edi'), {
    what: 'the CONTRL',
  });
  const contrl = readEdifact(fs.readFileSync(path.join(out, 'CONTRL_SENDER_2803570.edi'), 'utf8'))
    .interchanges[0];
  expect(contrl.recipient).toEqual({ id: 'SENDER', qualifier: 'ZZZ' });
  expect(contrl.groups[0].messages[0].segments[1].elements.map((e) => e.join(':'))).toEqual([
    'UCI',
    '2803570',
    'SENDER:ZZZ',
    'RECEIVER:ZZZ',
    '7',
  ]);
});

it('rejects the message with an impossible date alone, the CONTRL naming it, and takes the other', async () => {
  const text = [
    "UNB+UNOC:3+SENDER:ZZZ+RECEIVER:ZZZ+221201:0900+2803571'",
    "UNH+1+INVOIC:D:97A:UN'",
    "BGM+380+INV-77+9'",
    "DTM+137:20221331:102'",
    "MOA+77:100'",
    "UNT+5+1'",
    "UNH+2+IFTSTA:D:00B:UN'",
    "BGM+23+2BOG129383+9'",
    "CNI+1'",
    "STS+1+21::HS:Delivered'",
    "RFF+BM:ABCD224O4023815X'",
    "DTM+334:202211250900:203'",
    "UNT+7+2'",
    "UNZ+2+2803571'",
  ].join('\n');
  fs.writeFileSync(path.join(drop, '2_mixed.edi'), text);
  expect(await take()).toBe(1);
  await waitFor(
    async () =>
      (
        await database.db.sql(`SELECT 1 FROM crm_delivery WHERE source = $1 AND status = 'DELIVERED'`, [
          INSTANCE,
        ])
      ).length === 1,
    { what: 'the delivered status of the second message' },
  );
  const [dead] = await waitFor(
    async () => {
      const rows = await database.db.sql<{ error_message: string; error_field: string; body: Buffer }>(
        `SELECT error_message, error_field, body FROM dead_letter WHERE source = $1`,
        [INSTANCE],
      );
      return rows.length ? rows : undefined;
    },
    { what: 'the invoice dead-lettered' },
  );
  expect(dead.error_message).toMatch(
    /interchange 2803571 message INVOIC 1 rejected: DTM element 1 component 2 \(segment 3\): "20221331" is not a valid date for format 102/,
  );
  expect(dead.error_field).toBe('UNB 0020 2803571 UNH 0062 1 DTM (segment 3) element 1');
  const kept = JSON.parse(dead.body.toString('utf8')) as { payload: { bodyBase64: string } };
  const alone = readEdifact(Buffer.from(kept.payload.bodyBase64, 'base64').toString('utf8'));
  expect(alone.interchanges[0].groups[0].messages.map((m) => m.type)).toEqual(['INVOIC']);
  await waitFor(async () => fs.readdirSync(out).includes('CONTRL_SENDER_2803571.edi'), {
    what: 'the CONTRL',
  });
  const contrl = readEdifact(fs.readFileSync(path.join(out, 'CONTRL_SENDER_2803571.edi'), 'utf8'))
    .interchanges[0];
  expect(
    contrl.groups[0].messages[0].segments
      .slice(1, -1)
      .map((s) => [s.tag, ...s.elements.slice(1).map((e) => e.join(':'))].join('+')),
  ).toEqual(['UCI+2803571+SENDER:ZZZ+RECEIVER:ZZZ+7', 'UCM+1+INVOIC:D:97A:UN+4+12', 'UCS+3', 'UCD+12+1:2']);
});
