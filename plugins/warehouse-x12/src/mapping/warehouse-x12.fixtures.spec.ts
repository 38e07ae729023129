/**
 * Every captured X12 file of the plugin's fixtures through the whole inbound path (envelope,
 * element checks, mapping, acknowledgement), records checked field by field and each
 * acknowledgement read back by our reader and node-x12 (strict). Real: the files (SOURCES.md).
 */
import { TradingPartner } from '@tradelane/connector-sdk';
import { partnersFrom, readX12, x12Inbound } from '@tradelane/connector-sdk/edi';
import { assertRecordsMeetContracts, testPartner } from '@tradelane/connector-sdk/testing';
import { X12Parser } from 'node-x12';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WAREHOUSE_X12_SETS } from '../warehouse-x12.connector';

const partner = (name: string, qualifier: string, id: string, extra: Partial<TradingPartner> = {}) =>
  testPartner('x12', name, qualifier, id, { timeZone: 'America/Chicago', ...extra });

const PARTNERS = [
  partner('ACME', 'ZZ', 'ACME', { customerExternalId: 'ACME' }),
  partner('Walmart DC', '08', '925485US00', { customerExternalId: 'WALMART' }),
  partner('Widgets retail', 'ZZ', 'ABCDEFGHIJKLMNO'),
  partner('Cross-dock supplier', 'ZZ', 'SENDER'),
  partner('Vendor', 'ZZ', 'VENDOR', { customerExternalId: 'VENDOR-1' }),
  partner('DC', '12', '1114315990', { customerExternalId: 'DEPOSITOR-1' }),
  partner('Snacks', 'ZZ', 'SENDERISA'),
  partner('ABC supplier', 'ZZ', '010020001ABCINC', { customerExternalId: 'ABCINC' }),
  partner('Amazon DS', '12', '9728690111'),
];

const read = (file: string) => fs.readFileSync(path.join(__dirname, '..', '__fixtures__', file));

async function inbound(body: Buffer) {
  const result = await x12Inbound(body, {
    mappers: WAREHOUSE_X12_SETS,
    partner: partnersFrom(PARTNERS),
    us: { qualifier: 'ZZ', id: 'TRADELANE' },
    orderSource: 'erp-sap-idoc:main',
    now: new Date('2026-12-01T12:00:00Z'),
  });
  assertRecordsMeetContracts('wms', result.records);
  for (const a of result.acknowledgements) {
    expect(readX12(a.text).interchanges[0].groups[0].sets[0].problems).toEqual([]);
    expect(() => new X12Parser(true).parse(a.text)).not.toThrow();
  }
  const acks = result.acknowledgements.map((a) =>
    readX12(a.text)
      .interchanges[0].groups[0].sets[0].segments.slice(1, -1)
      .map((s) => s.elements.join('*')),
  );
  return { records: result.records, acks };
}

describe('warehouse-x12 over the captured files', () => {
  it('940 warehouse shipping order: lines by vendor item, dates, carrier, depositor as customer', async () => {
    const { records, acks } = await inbound(read('ediengine_940_warehouse_order.edi'));
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "538686",
    "occurredAt": "2000-01-28T11:57:00.000Z",
    "payload": {
      "carrier": "MTEN",
      "customerExternalId": "0000000000001",
      "externalId": "538686",
      "lines": [
        {
          "description": "11.500 STRUD BLUBRY",
          "quantity": 12,
          "sku": "000100",
          "unitPrice": 0,
        },
        {
          "description": "11.500 STRUD CINN",
          "quantity": 32,
          "sku": "000200",
          "unitPrice": 0,
        },
        {
          "description": "11.500 STRUDEL RASPBRY",
          "quantity": 12,
          "sku": "000300",
          "unitPrice": 0,
        },
      ],
      "orderedAt": "2000-01-28T11:57:00.000Z",
      "orderedAtBasis": "received",
      "parties": [
        {
          "customerExternalId": "00000001",
          "role": "consignee",
        },
      ],
      "requiredAt": "2000-02-07T06:00:00.000Z",
      "status": "new",
    },
    "type": "order.upserted",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*OW*3317",
    "AK2*940*0001",
    "AK5*A",
    "AK9*A*1*1*1",
  ],
]
`);
  });

  it('short 940 (UPS Ground) of a partner that is a known customer', async () => {
    const { records } = await inbound(read('ediengine_940_warehouse_order_2.edi'));
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "35131",
    "occurredAt": "2009-09-02T22:00:00.000Z",
    "payload": {
      "carrier": "UPS GROUND",
      "customerExternalId": "VENDOR-1",
      "externalId": "35131",
      "lines": [
        {
          "quantity": 1,
          "sku": "110220",
          "unitPrice": 0,
        },
      ],
      "orderedAt": "2009-09-02T22:00:00.000Z",
      "orderedAtBasis": "received",
      "status": "new",
    },
    "type": "order.upserted",
  },
]
`);
  });

  it('850 retail PO: lines with prices, required date, ship-to', async () => {
    const { records, acks } = await inbound(read('ediengine_850_widgets.edi'));
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "08292233294",
    "occurredAt": "2010-11-27T06:00:00.000Z",
    "payload": {
      "carrier": "P3",
      "customerExternalId": "0003947268292",
      "externalId": "08292233294",
      "lines": [
        {
          "description": "SMALL WIDGET",
          "quantity": 120,
          "sku": "AB3542",
          "unitPrice": 9.25,
        },
        {
          "description": "MEDIUM WIDGET",
          "quantity": 220,
          "sku": "RD5322",
          "unitPrice": 13.79,
        },
        {
          "description": "LARGE WIDGET",
          "quantity": 126,
          "sku": "XY5266",
          "unitPrice": 10.99,
        },
        {
          "description": "NANO WIDGET",
          "quantity": 76,
          "sku": "VX2332",
          "unitPrice": 4.35,
        },
        {
          "description": "BLUE WIDGET",
          "quantity": 72,
          "sku": "RV0524",
          "unitPrice": 7.5,
        },
        {
          "description": "ORANGE WIDGET",
          "quantity": 696,
          "sku": "DX1875",
          "unitPrice": 9.55,
        },
      ],
      "orderedAt": "2010-11-27T06:00:00.000Z",
      "parties": [
        {
          "customerExternalId": "0003947268292",
          "role": "consignee",
        },
      ],
      "requiredAt": "2010-12-14T06:00:00.000Z",
      "status": "new",
    },
    "type": "order.upserted",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*PO*1421",
    "AK2*850*000000010",
    "AK5*A",
    "AK9*A*1*1*1",
  ],
]
`);
  });

  it('850 Walmart DC format (5010): currency, parties, allowances ignored', async () => {
    const { records } = await inbound(read('blueseer_850_walmart_dc.txt'));
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "9154105602",
    "occurredAt": "2017-07-10T05:00:00.000Z",
    "payload": {
      "carrier": "CALL4792734300#",
      "currency": "USD",
      "customerExternalId": "WALMART",
      "externalId": "9154105602",
      "lines": [
        {
          "description": "PROFRM42LB JNT CMPND",
          "quantity": 72,
          "sku": "JT9670",
          "unitPrice": 8.1,
        },
        {
          "description": "PROFRM12LB JNT CMPND",
          "quantity": 288,
          "sku": "JT0570",
          "unitPrice": 3.3,
        },
      ],
      "orderedAt": "2017-07-10T05:00:00.000Z",
      "parties": [
        {
          "customerExternalId": "0078742030807",
          "role": "customer",
        },
      ],
      "requiredAt": "2017-07-17T05:00:00.000Z",
      "status": "new",
    },
    "type": "order.upserted",
  },
]
`);
  });

  it('75 KB 850 with ~1,000 lines and an SE01 that says 12: every line, accepted with the count noted', async () => {
    const { records, acks } = await inbound(read('blueseer_850_large_75KB.txt'));
    expect(records).toHaveLength(1);
    const lines = (records[0].payload as { lines: unknown[] }).lines;
    expect([lines.length, lines[0], lines[lines.length - 1]]).toMatchInlineSnapshot(`
[
  1698,
  {
    "quantity": 1,
    "sku": "ACMEITEM123",
    "unitPrice": 0,
  },
  {
    "quantity": 1,
    "sku": "ACMEITEM123",
    "unitPrice": 0,
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*PO*2273923",
    "AK2*850*0001",
    "AK5*E*4",
    "AK9*E*1*1*1",
  ],
]
`);
  });

  it('856 cross-dock ASN: one delivery per order level with its SSCC packs', async () => {
    const { records, acks } = await inbound(read('ediengine_856_crossdock.edi'));
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "000009/POREF00",
    "occurredAt": "2009-09-21T05:00:00.000Z",
    "payload": {
      "carrier": "OVNT",
      "customerExternalId": "002",
      "externalId": "000009/POREF00",
      "orderExternalId": "POREF00",
      "orderSource": "erp-sap-idoc:main",
      "packages": [
        {
          "ref": "00000715670002152360",
          "type": "SSCC",
          "weightKg": 2.722,
        },
        {
          "ref": "00000715670002152377",
          "type": "SSCC",
        },
        {
          "ref": "00000715670002152384",
          "type": "SSCC",
          "weightKg": 2.722,
        },
        {
          "ref": "00000715670002152391",
          "type": "SSCC",
          "weightKg": 2.722,
        },
      ],
      "parties": [
        {
          "customerExternalId": "000009",
          "role": "shipper",
        },
        {
          "customerExternalId": "0001",
          "role": "consignee",
        },
        {
          "customerExternalId": "002",
          "role": "customer",
        },
      ],
      "pickedUpAt": "2009-09-21T05:00:00.000Z",
      "sourceStatus": "856 BSN01 00",
      "status": "PICKED_UP",
      "trackingRefs": [
        "000001",
        "0000000008741",
        "1234567890",
      ],
    },
    "type": "delivery.status-changed",
  },
  {
    "key": "000009/POREF01",
    "occurredAt": "2009-09-21T05:00:00.000Z",
    "payload": {
      "carrier": "OVNT",
      "customerExternalId": "003",
      "externalId": "000009/POREF01",
      "orderExternalId": "POREF01",
      "orderSource": "erp-sap-idoc:main",
      "packages": [
        {
          "ref": "00000715670002152111",
          "type": "SSCC",
          "weightKg": 2.722,
        },
      ],
      "parties": [
        {
          "customerExternalId": "000009",
          "role": "shipper",
        },
        {
          "customerExternalId": "0001",
          "role": "consignee",
        },
        {
          "customerExternalId": "003",
          "role": "customer",
        },
      ],
      "pickedUpAt": "2009-09-21T05:00:00.000Z",
      "sourceStatus": "856 BSN01 00",
      "status": "PICKED_UP",
      "trackingRefs": [
        "000001",
        "0000000008741",
        "1234567890",
      ],
    },
    "type": "delivery.status-changed",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*SH*91",
    "AK2*856*0001",
    "AK5*A",
    "AK9*A*1*1*1",
  ],
]
`);
  });

  it('856 with mixed terminators ($ and ~): rejected naming the segment that swallowed the others', async () => {
    const { records, acks } = await inbound(read('stupidedi_856_dollar_terminator_mixed_tilde.edi'));
    expect(records.map((r) => [r.key, r.rejected?.reason, r.rejected?.field])).toMatchInlineSnapshot(`
[
  [
    "010020001ABCINC/000000089/0000001",
    "interchange 000000089 group 000000089 transaction set 856 0000001 rejected: N104 (segment 11): "010020001-ABCINC~N3" ends in "~N3": a second segment terminator "~" where the ISA declares "$"; N105 (segment 11): "123 MAIN ST.~N4" ends in "~N4": a second segment terminator "~" where the ISA declares "$"; N109 (segment 11): "CAN~HL" ends in "~HL": a second segment terminator "~" where the ISA declares "$"",
    "ISA13 000000089 ST02 0000001 N104 (segment 11)",
  ],
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*SH*000000089",
    "AK2*856*0000001",
    "AK3*N1*11**8",
    "AK4*4**6*010020001-ABCINC N3",
    "AK4*5**6*123 MAIN ST. N4",
    "AK4*9**6*CAN HL",
    "AK5*R*4*5",
    "AK9*R*1*1*0",
  ],
]
`);
    // The dead letter holds the set alone in its own interchange: it reads as X12 again.
    const again = readX12(records[0].rejected?.raw as string);
    expect(
      again.interchanges[0].groups[0].sets.map((s) => [s.type, s.control, s.problems.map((p) => p.message)]),
    ).toMatchInlineSnapshot(`
[
  [
    "856",
    "0000001",
    [
      "SE01 says 25 segments, the transaction set has 22",
    ],
  ],
]
`);
  });

  it('810 with two invoices (terms in ITD, total in TDS)', async () => {
    const { records, acks } = await inbound(read('staedi_810_two_invoices.edi'));
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "00001",
    "occurredAt": "1997-12-11T06:00:00.000Z",
    "payload": {
      "currency": "USD",
      "customerExternalId": "1223334444",
      "dueAt": "1997-12-27T06:00:00.000Z",
      "externalId": "00001",
      "issuedAt": "1997-12-11T06:00:00.000Z",
      "orderExternalId": "A99999-01",
      "status": "OPEN",
      "totalAmount": 2554.38,
    },
    "type": "invoice.upserted",
  },
  {
    "key": "00001",
    "occurredAt": "1997-12-15T06:00:00.000Z",
    "payload": {
      "currency": "USD",
      "customerExternalId": "1223334444",
      "dueAt": "1997-12-31T06:00:00.000Z",
      "externalId": "00001",
      "issuedAt": "1997-12-15T06:00:00.000Z",
      "orderExternalId": "A99999-04",
      "status": "OPEN",
      "totalAmount": 2554.38,
    },
    "type": "invoice.upserted",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*IN*1",
    "AK2*810*000000001",
    "AK5*A",
    "AK2*810*000000002",
    "AK5*A",
    "AK9*A*2*2*2",
  ],
]
`);
  });

  it('944 stock transfer receipt: five lots received into available stock at the warehouse', async () => {
    const { records, acks } = await inbound(read('nodex12edi_944_warehouse_stock_transfer_receipt.edi'));
    expect(records.map((r) => [r.key, r.payload])).toMatchInlineSnapshot(`
[
  [
    "PC1234/100000154",
    {
      "asOf": "2023-09-29T05:00:00.000Z",
      "change": 120,
      "customerExternalId": "DEPOSITOR-1",
      "externalId": "4280/1",
      "lot": "22413962",
      "reason": "received",
      "sku": "100000154",
      "sourceReason": "944 W1701 F",
      "status": "available",
      "unit": "CA",
      "warehouse": "PC1234",
    },
  ],
  [
    "PC1234/100000154",
    {
      "asOf": "2023-09-29T05:00:00.000Z",
      "change": 120,
      "customerExternalId": "DEPOSITOR-1",
      "externalId": "4280/2",
      "lot": "22413963",
      "reason": "received",
      "sku": "100000154",
      "sourceReason": "944 W1701 F",
      "status": "available",
      "unit": "CA",
      "warehouse": "PC1234",
    },
  ],
  [
    "PC1234/100000154",
    {
      "asOf": "2023-09-29T05:00:00.000Z",
      "change": 120,
      "customerExternalId": "DEPOSITOR-1",
      "externalId": "4280/3",
      "lot": "22413964",
      "reason": "received",
      "sku": "100000154",
      "sourceReason": "944 W1701 F",
      "status": "available",
      "unit": "CA",
      "warehouse": "PC1234",
    },
  ],
  [
    "PC1234/100000154",
    {
      "asOf": "2023-09-29T05:00:00.000Z",
      "change": 120,
      "customerExternalId": "DEPOSITOR-1",
      "externalId": "4280/4",
      "lot": "22413965",
      "reason": "received",
      "sku": "100000154",
      "sourceReason": "944 W1701 F",
      "status": "available",
      "unit": "CA",
      "warehouse": "PC1234",
    },
  ],
  [
    "PC1234/100000154",
    {
      "asOf": "2023-09-29T05:00:00.000Z",
      "change": 120,
      "customerExternalId": "DEPOSITOR-1",
      "externalId": "4280/5",
      "lot": "22413966",
      "reason": "received",
      "sku": "100000154",
      "sourceReason": "944 W1701 F",
      "status": "available",
      "unit": "CA",
      "warehouse": "PC1234",
    },
  ],
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*RE*15",
    "AK2*944*0001",
    "AK5*A",
    "AK9*A*1*1*1",
  ],
]
`);
  });

  it('truncated 846 (no SE, GE, IEA): rejected naming the missing trailers, nothing half-read', async () => {
    const { records, acks } = await inbound(read('tradedocs_846_amazon_ds_caret_separator_truncated.edi'));
    expect(records.map((r) => r.rejected?.reason)).toMatchInlineSnapshot(`
[
  "interchange 100016755 group 200016755 transaction set 846 300324116 rejected: transaction set 846 300324116 has no SE trailer (the end of the file came first)",
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*IB*200016755",
    "AK2*846*300324116",
    "AK5*R*2",
    "AK9*R*1*1*0*3",
  ],
]
`);
  });

  it('846 inventory advice (written from the 4010 layout): levels per location and status', async () => {
    const text = [
      'ISA*00*          *00*          *ZZ*VENDOR         *ZZ*TRADELANE      *261130*0600*U*00401*000000401*0*P*>',
      'GS*IB*VENDOR*TRADELANE*20261130*0600*401*X*004010',
      'ST*846*0001',
      'BIA*00*MB*INV-20261130*20261130*0600',
      'N1*WH*Dallas DC*92*DC1',
      'LIN*1*VN*SKU-4711',
      'QTY*33*120*EA',
      'QTY*QH*4*EA',
      'LIN*2*VN*SKU-0815',
      'SDQ*EA*92*DC1*30*DC2*12',
      'CTT*2',
      'SE*10*0001',
      'GE*1*401',
      'IEA*1*000000401',
    ].join('~\n');
    const { records } = await inbound(Buffer.from(text));
    expect(records.map((r) => r.payload)).toMatchInlineSnapshot(`
[
  {
    "asOf": "2026-11-30T12:00:00.000Z",
    "customerExternalId": "VENDOR-1",
    "externalId": "INV-20261130/1/DC1/available",
    "quantity": 120,
    "reason": "reported",
    "sku": "SKU-4711",
    "sourceReason": "QTY 33",
    "status": "available",
    "unit": "EA",
    "warehouse": "DC1",
  },
  {
    "asOf": "2026-11-30T12:00:00.000Z",
    "customerExternalId": "VENDOR-1",
    "externalId": "INV-20261130/1/DC1/on-hold",
    "quantity": 4,
    "reason": "reported",
    "sku": "SKU-4711",
    "sourceReason": "QTY QH",
    "status": "on-hold",
    "unit": "EA",
    "warehouse": "DC1",
  },
  {
    "asOf": "2026-11-30T12:00:00.000Z",
    "customerExternalId": "VENDOR-1",
    "externalId": "INV-20261130/2/DC1/available",
    "quantity": 30,
    "reason": "reported",
    "sku": "SKU-0815",
    "sourceReason": "SDQ",
    "status": "available",
    "unit": "EA",
    "warehouse": "DC1",
  },
  {
    "asOf": "2026-11-30T12:00:00.000Z",
    "customerExternalId": "VENDOR-1",
    "externalId": "INV-20261130/2/DC2/available",
    "quantity": 12,
    "reason": "reported",
    "sku": "SKU-0815",
    "sourceReason": "SDQ",
    "status": "available",
    "unit": "EA",
    "warehouse": "DC2",
  },
]
`);
  });

  it('945 shipping advice (written from the X12 4010 layout): the order shipped with its packs', async () => {
    const text = [
      'ISA*00*          *00*          *ZZ*VENDOR         *ZZ*TRADELANE      *261130*1015*U*00401*000000301*0*P*>',
      'GS*SW*VENDOR*TRADELANE*20261130*1015*301*X*004010',
      'ST*945*0001',
      'W06*F*35131*20261130*SHP-77*1Z999AA10123456784',
      'N1*ST*CUSTOMER ZULU*92*3333',
      'W27*M*UPSN*UPS GROUND',
      'LX*1',
      'MAN*GM*00340434161234567890',
      'W12*CC*1*1*0*EA**VC*110220',
      'W03*1*2.5*LB',
      'SE*10*0001',
      'GE*1*301',
      'IEA*1*000000301',
    ].join('~\n');
    const { records, acks } = await inbound(Buffer.from(text));
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "SHP-77",
    "occurredAt": "2026-11-30T06:00:00.000Z",
    "payload": {
      "carrier": "UPSN",
      "customerExternalId": "VENDOR-1",
      "externalId": "SHP-77",
      "orderExternalId": "35131",
      "orderSource": "erp-sap-idoc:main",
      "packages": [
        {
          "ref": "00340434161234567890",
          "type": "SSCC",
        },
      ],
      "parties": [
        {
          "customerExternalId": "3333",
          "role": "consignee",
        },
      ],
      "pickedUpAt": "2026-11-30T06:00:00.000Z",
      "sourceStatus": "945 W0601 F",
      "status": "PICKED_UP",
      "trackingRefs": [
        "1Z999AA10123456784",
      ],
    },
    "type": "delivery.status-changed",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*SW*301",
    "AK2*945*0001",
    "AK5*E*4",
    "AK9*E*1*1*1",
  ],
]
`);
  });

  it('861 receiving advice (written from the 4010 layout): the shipment delivered, the order named', async () => {
    const text = [
      'ISA*00*          *00*          *ZZ*VENDOR         *ZZ*TRADELANE      *261203*1400*U*00401*000000601*0*P*>',
      'GS*RC*VENDOR*TRADELANE*20261203*1400*601*X*004010',
      'ST*861*0001',
      'BRA*RCV-88*20261203*00*1',
      'REF*BM*SHP-77',
      'PRF*35131',
      'N1*ST*CUSTOMER ZULU*92*3333',
      'RCD*1*1*EA',
      'LIN**VC*110220',
      'SE*8*0001',
      'GE*1*601',
      'IEA*1*000000601',
    ].join('~\n');
    const { records, acks } = await inbound(Buffer.from(text));
    expect(records.map((r) => [r.key, r.occurredAt, r.payload])).toMatchInlineSnapshot(`
[
  [
    "SHP-77",
    "2026-12-03T06:00:00.000Z",
    {
      "customerExternalId": "VENDOR-1",
      "deliveredAt": "2026-12-03T06:00:00.000Z",
      "externalId": "SHP-77",
      "orderExternalId": "35131",
      "orderSource": "erp-sap-idoc:main",
      "parties": [
        {
          "customerExternalId": "3333",
          "role": "consignee",
        },
      ],
      "sourceStatus": "861 RCV-88",
      "status": "DELIVERED",
    },
  ],
]
`);
    expect(acks[0]).toContain('AK5*A');
  });
});
