/**
 * Shipments, invoices and stock levels as a partner may see them, sent as IFTSTA / DESADV / INVOIC /
 * INVRPT by the connector's send (as the host calls it for crm.*.changed.v1 owed to a trading
 * partner): each read back by our own reader into the same record (no syntax or application
 * problem) and by node-edifact.
 * Real: the plugin, a temporary outbound folder. Mocked: nothing (no host: derived control numbers).
 */
import {
  ConnectorError,
  OwedDocument,
  PartnerInvoiceRecord,
  PartnerShipmentRecord,
  PartnerStockRecord,
} from '@tradelane/connector-sdk';
import { edifactInbound, partnersFrom, readEdifact } from '@tradelane/connector-sdk/edi';
import { sendDocuments, testPartner } from '@tradelane/connector-sdk/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TRANSPORT_EDIFACT_MESSAGES, transportEdifactConnector } from '../transport-edifact.connector';

// node-edifact (no types): a second reader our documents must satisfy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NodeEdifactReader = require('edifact/reader.js') as new () => {
  parse(text: string): { name: string }[];
};

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'edifact-docs-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const PARTNER = testPartner('edifact', 'Nordwind retail', '14', '4012345000009', {
  id: 'c0000000-0000-4000-8000-00000000000c',
});

const runtime = () =>
  transportEdifactConnector.create(
    Object.assign(new transportEdifactConnector.configSchema(), {
      outboundFolder: out,
      interchangeQualifier: 'ZZ',
      interchangeId: 'TRADELANE',
      partners: [],
    }),
    { instance: 'transport-edifact:eu', tenant: 'default', log: () => undefined },
  );

async function roundTrip(type: string, document: OwedDocument) {
  const files = await sendDocuments(
    runtime(),
    out,
    { id: crypto.randomUUID(), type, recordId: document.record.id },
    [document],
  );
  expect(files).toHaveLength(1);
  const [file] = files;
  expect(file.name).toMatch(new RegExp(`^${document.document}_4012345000009_.+\\.edi$`));
  expect(new NodeEdifactReader().parse(file.text).map((s) => s.name)[0]).toBe('UNB');
  const doc = readEdifact(file.text);
  expect(doc.interchanges[0].recipient).toEqual({ id: '4012345000009', qualifier: '14' });
  const { records, acknowledgements } = await edifactInbound(Buffer.from(file.text), {
    mappers: TRANSPORT_EDIFACT_MESSAGES,
    partner: partnersFrom([
      testPartner('edifact', 'us', 'ZZ', 'TRADELANE', {
        acknowledgement: 'CONTRL',
        controlCounts: 'reject',
        customerExternalId: 'NORDW',
      }),
    ]),
    us: { qualifier: '14', id: '4012345000009' },
  });
  expect(records.map((r) => r.rejected)).toEqual(records.map(() => undefined));
  // The CONTRL the partner would send back accepts the interchange (UCI action 7).
  expect(acknowledgements.map((a) => /UCI\+[^']*\+7'/.test(a.text.replace(/\n/g, '')))).toEqual([true]);
  return records;
}

const SHIPMENT: PartnerShipmentRecord = {
  id: '0193a5b0-0000-7000-8000-000000000501',
  source: 'transport-edifact:eu',
  externalId: 'SHP-77120',
  orderExternalId: 'PO-4471',
  status: 'IN_TRANSIT',
  statusAt: '2026-12-01T09:05:00.000Z',
  carrier: 'DB Schenker',
  trackingRefs: ['SCH-9912'],
  position: 'Duisburg',
  pickedUpAt: '2026-11-30T15:00:00.000Z',
  eta: '2026-12-02T12:00:00.000Z',
  packages: [{ ref: '340123450000000017', type: 'SSCC' }, { ref: 'LBL-77' }],
};

it('writes an IFTSTA our reader reads back as the same status, for every status', async () => {
  for (const status of [
    'CREATED',
    'PLANNED',
    'PICKED_UP',
    'IN_TRANSIT',
    'OUT_FOR_DELIVERY',
    'DELIVERED',
    'EXCEPTION',
    'RETURNED',
    'CANCELLED',
  ]) {
    const [back, ...rest] = await roundTrip('crm.shipment.changed.v1', {
      document: 'IFTSTA',
      partner: PARTNER,
      record: { ...SHIPMENT, status },
    });
    expect(rest).toEqual([]);
    expect(back.occurredAt).toBe(SHIPMENT.statusAt);
    expect(back.payload).toMatchObject({
      externalId: 'SHP-77120',
      status,
      orderExternalId: 'PO-4471',
      customerExternalId: 'NORDW',
      carrier: 'DB Schenker',
      location: 'Duisburg',
    });
  }
});

it('writes a DESADV our reader reads back as the same despatch, packages and ETA', async () => {
  const [back] = await roundTrip('crm.shipment.changed.v1', {
    document: 'DESADV',
    partner: PARTNER,
    record: SHIPMENT,
  });
  expect(back.payload).toEqual({
    externalId: 'SHP-77120',
    status: 'PICKED_UP',
    sourceStatus: 'DESADV 351',
    orderExternalId: 'PO-4471',
    customerExternalId: 'NORDW',
    carrier: 'DB Schenker',
    promisedTo: SHIPMENT.eta,
    pickedUpAt: SHIPMENT.pickedUpAt,
    packages: [
      { ref: '340123450000000017', type: 'SSCC' },
      { ref: 'LBL-77', type: 'GIN ML' },
    ],
  });
});

it('writes an INVOIC our reader reads back as the same invoice', async () => {
  const invoice: PartnerInvoiceRecord = {
    id: '0193a5b0-0000-7000-8000-000000000601',
    source: 'erp-d365:main',
    externalId: 'INV-2026-0042',
    orderExternalId: 'PO-4471',
    issuedAt: '2026-11-25T00:00:00.000Z',
    dueAt: '2026-12-25T00:00:00.000Z',
    currency: 'EUR',
    totalAmount: 9870.4,
    paidAmount: 870.4,
    openAmount: 9000,
    status: 'OPEN',
  };
  const [back] = await roundTrip('crm.invoice.changed.v1', {
    document: 'INVOIC',
    partner: PARTNER,
    record: invoice,
  });
  expect(back.payload).toMatchObject({
    externalId: 'INV-2026-0042',
    customerExternalId: 'NORDW',
    orderExternalId: 'PO-4471',
    issuedAt: invoice.issuedAt,
    dueAt: invoice.dueAt,
    currency: 'EUR',
    totalAmount: 9870.4,
  });
});

it('writes an INVRPT our reader reads back as the same level, lot and status', async () => {
  for (const status of ['available', 'on-hold', 'damaged', 'allocated']) {
    const level: PartnerStockRecord = {
      id: '0193a5b0-0000-7000-8000-000000000701',
      source: 'warehouse-x12:dc1',
      warehouse: 'DUS1',
      sku: '4012345000016',
      lot: 'B-2026-48',
      status,
      quantity: 42,
      unit: 'PCE',
      asOf: '2026-12-01T05:00:00.000Z',
    };
    const [back, ...rest] = await roundTrip('crm.stock.changed.v1', {
      document: 'INVRPT',
      partner: PARTNER,
      record: level,
    });
    expect(rest).toEqual([]);
    expect(back.payload).toMatchObject({
      customerExternalId: 'NORDW',
      sku: '4012345000016',
      lot: 'B-2026-48',
      warehouse: 'DUS1',
      status,
      quantity: 42,
      unit: 'PCE',
      asOf: level.asOf,
    });
  }
});

it('refuses a reference longer than EDIFACT allows, naming the element', async () => {
  await expect(
    sendDocuments(runtime(), out, { id: crypto.randomUUID(), type: 'crm.shipment.changed.v1' }, [
      { document: 'DESADV', partner: PARTNER, record: { ...SHIPMENT, externalId: 'S'.repeat(36) } },
    ]),
  ).rejects.toThrow(
    new ConnectorError(
      'permanent',
      `BGM 1004 (shipment) "${'S'.repeat(36)}" is longer than the 35 characters EDIFACT allows`,
    ),
  );
});
