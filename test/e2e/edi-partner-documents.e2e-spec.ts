/**
 * EDI partners get the same events as webhook partners: a trading partner linked to partner
 * organisation A (customer ALFKI), sending through a warehouse-x12 instance, is written a 214 on
 * each status change of A's shipment, an 856 once it has left, an 810 per invoice; a trading partner
 * of B (BONAP) through transport-edifact gets IFTSTA and INVOIC about B's records. Neither is ever
 * written a document about the other's records; a change that tells a partner nothing new writes
 * nothing; the settings are validated (partner, instance, what the instance writes).
 * Real: PostgreSQL, RabbitMQ, the app (feed, outbox, connectors-out consumer, sender), the plugins,
 * temporary outbound folders. Mocked: nothing.
 */
import { ConnectorSendService } from '@tradelane/connector-host';
import { readEdifact, readX12 } from '@tradelane/connector-sdk/edi';
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { INBOUND_EXCHANGE } from '@tradelane/messaging';
import { TestApp, TestDatabase, waitFor } from '@tradelane/testing';
import { X12Parser } from 'node-x12';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { ConnectorApp, startConnectorApp } from './support/connector-app';

jest.setTimeout(180_000);

const ERP = 'erp-test:main';
const X12 = 'warehouse-x12:dc1';
const EDIFACT = 'transport-edifact:eu';

let ctx: ConnectorApp;
let database: TestDatabase;
let app: TestApp;
const folders = { x12: '', edifact: '' };
const partnerOrg = { a: '', b: '' };
const http = () => request(app.app.getHttpServer());

const publish = (type: string, key: string, payload: object, occurredAt?: string): Promise<void> =>
  app.bus.publish(
    INBOUND_EXCHANGE,
    createEnvelope({
      type: type as never,
      source: ERP,
      key,
      payload: payload as never,
      ...(occurredAt ? { occurredAt } : {}),
    }) as Envelope,
  );
const status = (externalId: string, customer: string, s: string, at: string, location: string) =>
  publish(
    'tms.delivery.status-changed.v1',
    externalId,
    {
      externalId,
      status: s,
      customerExternalId: customer,
      customerSource: ERP,
      orderExternalId: `SO-${externalId}`,
      carrier: 'UPSN',
      trackingRefs: [`1Z-${externalId}`],
      location,
    },
    at,
  );
const invoice = (externalId: string, customer: string) =>
  publish('erp.invoice.upserted.v1', externalId, {
    externalId,
    customerExternalId: customer,
    issuedAt: '2026-11-20T00:00:00.000Z',
    dueAt: '2026-12-20T00:00:00.000Z',
    currency: 'EUR',
    totalAmount: 480.5,
    status: 'OPEN',
  });

const files = (standard: 'x12' | 'edifact') =>
  fs
    .readdirSync(folders[standard])
    .filter((f) => !f.endsWith('.tmp'))
    .sort();
const read = (standard: 'x12' | 'edifact', name: string) =>
  fs.readFileSync(path.join(folders[standard], name), 'utf8');
const send = () => app.app.get(ConnectorSendService).sendPending();
const pending = async () =>
  (
    await database.db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM connector_delivery WHERE state = 'pending'`,
    )
  )[0].n;
/** Sends until nothing is pending, then the files written. */
async function settle(what: string, until: () => boolean): Promise<void> {
  await waitFor(
    async () => {
      await send();
      if (until() && (await pending()) === 0) return true;
      // What the timeout names: the files so far and the deliveries not sent.
      const deliveries = await database.db.sql<{
        instance_id: string;
        type: string;
        state: string;
        last_error: string;
      }>(`SELECT instance_id, type, state, last_error FROM connector_delivery WHERE state <> 'sent'`);
      throw new Error(
        `files ${JSON.stringify(files('x12'))} ${JSON.stringify(files('edifact'))}, deliveries ${JSON.stringify(deliveries)}`,
      );
    },
    { what, timeoutMs: 60_000, intervalMs: 300 },
  );
}

beforeAll(async () => {
  ctx = await startConnectorApp('edi_partner_documents', { CONNECTOR_FILE_POLL_SECONDS: '3600' });
  ({ database, app } = ctx);
  folders.x12 = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-x12-'));
  folders.edifact = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-edifact-'));
  await ctx.instances.add({
    connector: 'warehouse-x12',
    name: 'dc1',
    config: { outboundFolder: folders.x12, interchangeId: 'TRADELANE' },
  });
  await ctx.instances.add({
    connector: 'transport-edifact',
    name: 'eu',
    config: { outboundFolder: folders.edifact, interchangeId: 'TRADELANE' },
  });
  await publish('erp.customer.upserted.v1', 'ALFKI', { externalId: 'ALFKI', name: 'Alfreds Futterkiste' });
  await publish('erp.customer.upserted.v1', 'BONAP', { externalId: 'BONAP', name: 'Bon app' });
  const customers = await waitFor(
    async () => {
      const rows = await database.db.sql<{ id: string; name: string }>(
        `SELECT id, name FROM crm_customer ORDER BY name`,
      );
      return rows.length === 2 ? rows : undefined;
    },
    { what: 'the two customers' },
  );
  for (const [k, name] of [
    ['a', 'Alfreds Futterkiste'],
    ['b', 'Bon app'],
  ] as const)
    partnerOrg[k] = (
      await http()
        .post('/partners')
        .send({ name, customerIds: [customers.find((c) => c.name === name)!.id] })
        .expect(201)
    ).body.id as string;
  // The feed believes "no partners" for up to 10 s after it last looked.
  await new Promise((r) => setTimeout(r, 10_500));
});

afterAll(async () => {
  await ctx?.close();
  for (const d of Object.values(folders)) if (d) fs.rmSync(d, { recursive: true, force: true });
});

it('refuses outbound settings that cannot work, naming the field', async () => {
  const base = { name: 'Shipper A', standard: 'x12', qualifier: 'ZZ', interchangeId: 'ALFKI' };
  const refused = async (body: object) =>
    (await http().post('/trading-partners').send(body).expect(400)).body.message as string;
  expect(await refused({ ...base, outboundDocuments: ['214'], outboundInstanceId: X12 })).toMatch(
    /^partnerId: documents are sent only within a partner organisation's scope/,
  );
  expect(
    await refused({
      ...base,
      outboundDocuments: ['IFTSTA'],
      partnerId: partnerOrg.a,
      outboundInstanceId: X12,
    }),
  ).toBe('outboundDocuments: IFTSTA are not x12 documents');
  expect(
    await refused({
      ...base,
      outboundDocuments: ['214'],
      partnerId: partnerOrg.a,
      outboundInstanceId: EDIFACT,
    }),
  ).toBe(
    'outboundDocuments: transport-edifact does not write 214 (it writes IFTSTA, DESADV, INVOIC, INVRPT)',
  );
  expect(
    await refused({
      ...base,
      outboundDocuments: ['214'],
      partnerId: '00000000-0000-4000-8000-000000000000',
      outboundInstanceId: X12,
    }),
  ).toMatch(/^partnerId: partner 00000000-0000-4000-8000-000000000000 is not a partner organisation/);
  expect(
    await refused({
      ...base,
      outboundDocuments: ['214'],
      partnerId: partnerOrg.a,
      outboundInstanceId: 'nope:x',
    }),
  ).toBe('outboundInstanceId: no connector instance nope:x');
});

it('writes each partner the documents it asked for about its own records only', async () => {
  const a = await http()
    .post('/trading-partners')
    .send({
      name: 'Shipper A',
      standard: 'x12',
      qualifier: 'ZZ',
      interchangeId: 'ALFKI',
      partnerId: partnerOrg.a,
      outboundInstanceId: X12,
      outboundDocuments: ['214', '856', '810'],
    })
    .expect(201);
  expect(a.body).toMatchObject({
    partnerId: partnerOrg.a,
    outboundInstanceId: X12,
    outboundDocuments: ['214', '856', '810'],
    lastDocumentAt: null,
  });
  await http()
    .post('/trading-partners')
    .send({
      name: 'Consignee B',
      standard: 'edifact',
      qualifier: '14',
      interchangeId: '4012345000009',
      partnerId: partnerOrg.b,
      outboundInstanceId: EDIFACT,
      outboundDocuments: ['IFTSTA', 'INVOIC'],
    })
    .expect(201);

  await status('SHPA1', 'ALFKI', 'PLANNED', '2026-12-01T06:00:00.000Z', 'Berlin');
  await status('SHPB1', 'BONAP', 'IN_TRANSIT', '2026-12-01T06:10:00.000Z', 'Lyon');
  await invoice('INVA1', 'ALFKI');
  await invoice('INVB1', 'BONAP');
  await settle('the first documents', () => files('x12').length === 2 && files('edifact').length === 2);

  // A: a 214 (PLANNED: not despatched, so no 856 yet) and its 810; nothing about B's records.
  const x12 = files('x12');
  expect(x12.map((f) => f.split('_').slice(0, 3).join('_'))).toEqual(['214_ALFKI_SHPA1', '810_ALFKI_INVA1']);
  for (const f of x12) {
    const text = read('x12', f);
    expect(() => new X12Parser(true).parse(text)).not.toThrow();
    expect(text).not.toMatch(/SHPB1|INVB1|BONAP/);
    expect(readX12(text).interchanges[0].receiver).toEqual({ qualifier: 'ZZ', id: 'ALFKI' });
  }
  expect(read('x12', x12[0])).toContain('AT7*AA*NS***20261201*0600*UT~');
  expect(read('x12', x12[1])).toContain('TDS*48050~');
  // B: an IFTSTA and an INVOIC about its own records; nothing about A's.
  const edifact = files('edifact');
  expect(edifact.map((f) => f.split('_').slice(0, 3).join('_'))).toEqual([
    'IFTSTA_4012345000009_SHPB1',
    'INVOIC_4012345000009_INVB1',
  ]);
  for (const f of edifact) {
    const text = read('edifact', f);
    expect(readEdifact(text).interchanges[0].problems).toEqual([]);
    expect(text).not.toMatch(/SHPA1|INVA1|ALFKI/);
  }
  const tp = (await http().get('/trading-partners').query({ q: 'Shipper' }).expect(200)).body.items[0];
  expect(tp.lastDocumentAt).not.toBeNull();
});

it('writes a 214 on each status change, the 856 once it has left, and nothing when nothing changed', async () => {
  await status('SHPA1', 'ALFKI', 'PICKED_UP', '2026-12-01T08:00:00.000Z', 'Berlin');
  await settle('the despatch', () => files('x12').length === 4);
  expect(files('x12').map((f) => f.split('_').slice(0, 3).join('_'))).toEqual([
    '214_ALFKI_SHPA1',
    '214_ALFKI_SHPA1',
    '810_ALFKI_INVA1',
    '856_ALFKI_SHPA1',
  ]);
  // The same status again (a carrier re-sending its event) and the invoice again: nothing new to
  // tell A. B's shipment moving after them shows they were handled (B gets its IFTSTA).
  await status('SHPA1', 'ALFKI', 'PICKED_UP', '2026-12-01T08:00:00.000Z', 'Berlin');
  await invoice('INVA1', 'ALFKI');
  await status('SHPB1', 'BONAP', 'OUT_FOR_DELIVERY', '2026-12-01T09:00:00.000Z', 'Lyon');
  await settle('B told of its shipment', () => files('edifact').length === 3);
  expect(files('x12')).toHaveLength(4);
  await status('SHPA1', 'ALFKI', 'DELIVERED', '2026-12-02T10:30:00.000Z', 'Hamburg');
  await settle('the delivery status', () => files('x12').length === 5);
  const names = files('x12');
  expect(names.filter((f) => f.startsWith('856_'))).toHaveLength(1);
  expect(names.filter((f) => f.startsWith('810_'))).toHaveLength(1);
  const statuses = names
    .filter((f) => f.startsWith('214_'))
    .map((f) => read('x12', f).match(/AT7\*(\w+)\*/)![1])
    .sort();
  expect(statuses).toEqual(['AA', 'AF', 'D1']);
  // Every 214 has its own control numbers.
  const controls = names.map((f) => readX12(read('x12', f)).interchanges[0].control);
  expect(new Set(controls).size).toBe(controls.length);
  // B was told of none of it.
  expect(files('edifact')).toHaveLength(3);
});
