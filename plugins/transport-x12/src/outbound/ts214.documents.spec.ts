/**
 * A shipment as a partner may see it, sent as a 214 by the connector's send (as the host calls it
 * for a crm.shipment.changed.v1 owed to a trading partner): read back by our own 214 reader (the
 * same status, time, order, position, references) and by node-x12 in strict mode; one interchange
 * per partner, the same file again on a retry.
 * Real: the plugin, a temporary outbound folder. Mocked: nothing (no host: derived control numbers).
 */
import { ConnectorError, OwedDocument, PartnerShipmentRecord } from '@tradelane/connector-sdk';
import { partnersFrom, x12Inbound } from '@tradelane/connector-sdk/edi';
import { sendDocuments, testPartner } from '@tradelane/connector-sdk/testing';
import { X12Parser } from 'node-x12';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TRANSPORT_X12_SETS, transportX12Connector } from '../transport-x12.connector';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'x12-214-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const SHIPPER = testPartner('x12', 'Alfreds shipping', 'ZZ', 'ALFKI', {
  id: 'a0000000-0000-4000-8000-00000000000a',
});
const OTHER = testPartner('x12', 'Nord consignee', '01', '123456789', {
  id: 'b0000000-0000-4000-8000-00000000000b',
});

const SHIPMENT: PartnerShipmentRecord = {
  id: '0193a5b0-0000-7000-8000-000000000101',
  source: 'transport-x12:carriers',
  externalId: 'SHP-10643',
  orderExternalId: 'SO-10643',
  status: 'IN_TRANSIT',
  statusAt: '2026-12-01T08:30:00.000Z',
  carrier: 'ODFL',
  trackingRefs: ['PRO-778812', 'BOL-55'],
  position: 'Chicago, IL, US',
  pickedUpAt: '2026-11-30T16:00:00.000Z',
};

const runtime = () =>
  transportX12Connector.create(
    Object.assign(new transportX12Connector.configSchema(), {
      outboundFolder: out,
      interchangeQualifier: 'ZZ',
      interchangeId: 'TRADELANE',
      partners: [],
    }),
    { instance: 'transport-x12:carriers', tenant: 'default', log: () => undefined },
  );

const send = (id: string, documents: OwedDocument[]) =>
  sendDocuments(runtime(), out, { id, type: 'crm.shipment.changed.v1', recordId: SHIPMENT.id }, documents);

/** Our own reader, as the partner would read it: from us (ZZ/TRADELANE), in UTC. */
const readBack = async (text: string) =>
  (
    await x12Inbound(Buffer.from(text), {
      mappers: TRANSPORT_X12_SETS,
      partner: partnersFrom([
        testPartner('x12', 'us', 'ZZ', 'TRADELANE', { acknowledgement: 'none', controlCounts: 'reject' }),
      ]),
      us: { qualifier: SHIPPER.qualifier, id: SHIPPER.interchangeId },
    })
  ).records;

it('writes a 214 our reader turns back into the same status, and node-x12 reads strictly', async () => {
  const [file, ...more] = await send('0193a5b0-0000-7000-8000-0000000001a1', [
    { document: '214', partner: SHIPPER, record: SHIPMENT },
  ]);
  expect(more).toEqual([]);
  expect(file.name).toMatch(/^214_ALFKI_SHP-10643_\d{9}\.x12$/);
  expect(() => new X12Parser(true).parse(file.text)).not.toThrow();
  expect(file.text).toMatch(/^ISA\*00\* {10}\*00\* {10}\*ZZ\*TRADELANE {6}\*ZZ\*ALFKI {10}\*/);
  expect(file.text).toContain('GS*QM*TRADELANE*ALFKI*');
  const [back, ...rest] = await readBack(file.text);
  expect(rest).toEqual([]);
  expect(back.rejected).toBeUndefined();
  expect(back.payload).toEqual({
    externalId: 'SHP-10643',
    status: 'IN_TRANSIT',
    sourceStatus: 'X6/NS',
    note: 'en route to delivery location',
    orderExternalId: 'SO-10643',
    carrier: 'ODFL',
    trackingRefs: ['PRO-778812', 'BOL-55'],
    location: 'Chicago, IL, US',
  });
  expect(back.occurredAt).toBe(SHIPMENT.statusAt);
});

it('reports every status so that our reader reads the same one back', async () => {
  const statuses = [
    'CREATED',
    'PLANNED',
    'PICKED_UP',
    'OUT_FOR_DELIVERY',
    'DELIVERED',
    'RETURNED',
    'CANCELLED',
    'EXCEPTION',
  ];
  for (const [n, status] of statuses.entries()) {
    const [file] = await send(`0193a5b0-0000-7000-8000-0000000002${String(n).padStart(2, '0')}`, [
      {
        document: '214',
        partner: SHIPPER,
        record: { ...SHIPMENT, status, carrier: 'Hapag Lloyd', position: 'Hamburg' },
      },
    ]);
    const [back] = await readBack(file.text);
    expect({ status, read: (back.payload as { status: string }).status }).toEqual({ status, read: status });
    // A carrier that is no SCAC is not written where X12 wants one; a bare city is MS101.
    expect((back.payload as { carrier?: string }).carrier).toBeUndefined();
    expect((back.payload as { location?: string }).location).toBe('Hamburg');
  }
});

it('writes one interchange per partner, each to its own ISA id, and the same files again on a retry', async () => {
  const documents: OwedDocument[] = [
    { document: '214', partner: SHIPPER, record: { ...SHIPMENT, externalId: 'SHP-2' } },
    { document: '214', partner: OTHER, record: { ...SHIPMENT, externalId: 'SHP-2' } },
  ];
  const first = await send('0193a5b0-0000-7000-8000-0000000003a1', documents);
  expect(first.map((f) => f.name.split('_').slice(0, 3).join('_'))).toEqual([
    '214_123456789_SHP-2',
    '214_ALFKI_SHP-2',
  ]);
  expect(first[0].text).toContain('*01*123456789      *');
  expect(await send('0193a5b0-0000-7000-8000-0000000003a1', documents)).toEqual([]); // the same names: rewritten
  const again = fs.readdirSync(out).filter((f) => f.includes('_SHP-2_'));
  expect(again.sort()).toEqual(first.map((f) => f.name));
  expect(again.map((f) => fs.readFileSync(path.join(out, f), 'utf8'))).toEqual(first.map((f) => f.text));
});

it('refuses a shipment id longer than B1002 allows, naming the element, and writes nothing without a folder', async () => {
  await expect(
    send('0193a5b0-0000-7000-8000-0000000004a1', [
      { document: '214', partner: SHIPPER, record: { ...SHIPMENT, externalId: 'S'.repeat(31) } },
    ]),
  ).rejects.toThrow(
    new ConnectorError(
      'permanent',
      `B1002 (shipment id) "${'S'.repeat(31)}" is longer than the 30 characters X12 allows`,
    ),
  );
  const folderless = transportX12Connector.create(
    Object.assign(new transportX12Connector.configSchema(), {
      interchangeQualifier: 'ZZ',
      interchangeId: 'TRADELANE',
      partners: [],
    }),
    { instance: 'transport-x12:carriers', tenant: 'default', log: () => undefined },
  );
  await expect(
    sendDocuments(
      folderless,
      out,
      { id: '0193a5b0-0000-7000-8000-0000000004a2', type: 'crm.shipment.changed.v1' },
      [{ document: '214', partner: SHIPPER, record: SHIPMENT }],
    ),
  ).rejects.toThrow('outboundFolder must be set to send trading partners their documents');
});
