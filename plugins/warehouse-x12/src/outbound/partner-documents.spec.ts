/**
 * Shipments, invoices and stock levels as a partner may see them, sent as 856 / 810 / 846 by the
 * connector's send (as the host calls it for crm.*.changed.v1 owed to a trading partner): each read
 * back by our own reader into the same record, and by node-x12 in strict mode.
 * Real: the plugin, a temporary outbound folder. Mocked: nothing (no host: derived control numbers).
 */
import {
  OwedDocument,
  PartnerInvoiceRecord,
  PartnerShipmentRecord,
  PartnerStockRecord,
} from '@tradelane/connector-sdk';
import { partnersFrom, x12Inbound } from '@tradelane/connector-sdk/edi';
import { sendDocuments, testPartner } from '@tradelane/connector-sdk/testing';
import { X12Parser } from 'node-x12';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WAREHOUSE_X12_SETS, warehouseX12Connector } from '../warehouse-x12.connector';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'x12-docs-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

const SHIPPER = testPartner('x12', 'Alfreds shipping', 'ZZ', 'ALFKI', {
  id: 'a0000000-0000-4000-8000-00000000000a',
});

const runtime = () =>
  warehouseX12Connector.create(
    Object.assign(new warehouseX12Connector.configSchema(), {
      outboundFolder: out,
      interchangeQualifier: 'ZZ',
      interchangeId: 'TRADELANE',
      partners: [],
    }),
    { instance: 'warehouse-x12:dc1', tenant: 'default', log: () => undefined },
  );

/** Sends one document and reads its file back with our reader, as the partner (customer ALFKI). */
async function roundTrip(type: string, document: OwedDocument) {
  const files = await sendDocuments(
    runtime(),
    out,
    { id: crypto.randomUUID(), type, recordId: document.record.id },
    [document],
  );
  expect(files).toHaveLength(1);
  const [file] = files;
  expect(file.name.startsWith(`${document.document}_ALFKI_`)).toBe(true);
  expect(() => new X12Parser(true).parse(file.text)).not.toThrow();
  const { records } = await x12Inbound(Buffer.from(file.text), {
    mappers: WAREHOUSE_X12_SETS,
    partner: partnersFrom([
      testPartner('x12', 'us', 'ZZ', 'TRADELANE', {
        acknowledgement: 'none',
        controlCounts: 'reject',
        customerExternalId: 'ALFKI',
      }),
    ]),
    us: { qualifier: 'ZZ', id: 'ALFKI' },
  });
  expect(records.map((r) => r.rejected)).toEqual(records.map(() => undefined));
  return { text: file.text, records };
}

it('writes an 856 (S-O-P) that our reader reads back as the same despatched shipment', async () => {
  const shipment: PartnerShipmentRecord = {
    id: '0193a5b0-0000-7000-8000-000000000201',
    source: 'warehouse-x12:dc1',
    externalId: 'ASN-10643',
    orderExternalId: 'SO-10643',
    status: 'PICKED_UP',
    statusAt: '2026-12-01T07:45:00.000Z',
    pickedUpAt: '2026-12-01T07:40:00.000Z',
    carrier: 'UPSN',
    trackingRefs: ['1Z999AA10123456784'],
    packages: [
      { ref: '003404341612345678', type: 'SSCC', weightKg: 12.5 },
      { ref: 'LBL-2', weightKg: 3 },
    ],
  };
  const { text, records } = await roundTrip('crm.shipment.changed.v1', {
    document: '856',
    partner: SHIPPER,
    record: shipment,
  });
  expect(text).toContain('GS*SH*TRADELANE*ALFKI*');
  expect(records).toHaveLength(1);
  expect(records[0].occurredAt).toBe(shipment.pickedUpAt);
  expect(records[0].payload).toEqual({
    externalId: 'ASN-10643',
    status: 'PICKED_UP',
    sourceStatus: '856 BSN01 00',
    orderExternalId: 'SO-10643',
    customerExternalId: 'ALFKI',
    carrier: 'UPSN',
    trackingRefs: ['1Z999AA10123456784'],
    pickedUpAt: shipment.pickedUpAt,
    packages: [
      { ref: '003404341612345678', type: 'SSCC', weightKg: 12.5 },
      { ref: 'LBL-2', weightKg: 3 },
    ],
  });
});

it('writes an 810 that our reader reads back as the same invoice', async () => {
  const invoice: PartnerInvoiceRecord = {
    id: '0193a5b0-0000-7000-8000-000000000301',
    source: 'erp-sap-idoc:main',
    externalId: 'INV-90017',
    orderExternalId: 'SO-10643',
    issuedAt: '2026-11-20T00:00:00.000Z',
    dueAt: '2026-12-20T00:00:00.000Z',
    currency: 'EUR',
    totalAmount: 1234.56,
    paidAmount: 0,
    openAmount: 1234.56,
    status: 'OPEN',
  };
  const { text, records } = await roundTrip('crm.invoice.changed.v1', {
    document: '810',
    partner: SHIPPER,
    record: invoice,
  });
  expect(text).toContain('TDS*123456~');
  expect(records.map((r) => r.payload)).toEqual([
    {
      externalId: 'INV-90017',
      customerExternalId: 'ALFKI',
      orderExternalId: 'SO-10643',
      issuedAt: invoice.issuedAt,
      dueAt: invoice.dueAt,
      currency: 'EUR',
      totalAmount: 1234.56,
      status: 'OPEN',
    },
  ]);
});

it('writes an 846 per level that our reader reads back as the same level, each status its qualifier', async () => {
  for (const status of ['available', 'on-hold', 'damaged']) {
    const level: PartnerStockRecord = {
      id: '0193a5b0-0000-7000-8000-000000000401',
      source: 'warehouse-x12:dc1',
      warehouse: 'DC1',
      sku: 'SKU-4711',
      lot: 'L2026-11',
      status,
      quantity: 118.5,
      unit: 'CA',
      asOf: '2026-12-01T06:00:00.000Z',
    };
    const { records } = await roundTrip('crm.stock.changed.v1', {
      document: '846',
      partner: SHIPPER,
      record: level,
    });
    expect(records).toHaveLength(1);
    expect(records[0].payload).toMatchObject({
      customerExternalId: 'ALFKI',
      sku: 'SKU-4711',
      warehouse: 'DC1',
      status,
      quantity: 118.5,
      unit: 'CA',
      reason: 'reported',
      asOf: level.asOf,
    });
  }
});
