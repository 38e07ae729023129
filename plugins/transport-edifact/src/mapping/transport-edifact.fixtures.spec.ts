/**
 * Every captured EDIFACT file of the plugin's fixtures through the whole inbound path (charset,
 * UNA, envelopes, segment groups, dates and numbers, mapping, CONTRL and APERAK), the records
 * checked field by field, each acknowledgement read back by our reader and by node-edifact.
 * Real: the files (SOURCES.md).
 */
import { ConnectorError, TradingPartner } from '@tradelane/connector-sdk';
import { edifactInbound, partnersFrom, readEdifact } from '@tradelane/connector-sdk/edi';
import { assertRecordsMeetContracts, testPartner } from '@tradelane/connector-sdk/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TRANSPORT_EDIFACT_MESSAGES } from '../transport-edifact.connector';

// node-edifact (no types): the reader the acknowledgements must also satisfy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NodeEdifactReader = require('edifact/reader.js') as new () => {
  parse(text: string): { name: string }[];
};

const partner = (name: string, qualifier: string, id: string, extra: Partial<TradingPartner> = {}) =>
  testPartner('edifact', name, qualifier, id, { timeZone: 'Europe/Berlin', ...extra });

const PARTNERS = [
  partner('Ocean carrier', 'ZZZ', 'SENDER', { customerExternalId: 'SHIPPER-1' }),
  partner('Blueseer', 'ZZ', 'BLUESEER'),
  partner('ACME buyer', 'ZZ', '999999999'),
  partner('Parcel carrier', '30', '9457386', { customerExternalId: 'PARCEL-CUST' }),
  partner('Dutch retail', '14', '8717982000004'),
  partner('Cosmetics forwarder', '14', '5011408000007'),
  partner('pydifact', '', 'RECEIVERID'),
  partner('Vauxhall supplier', '', '01010000253001'),
  partner('EAN buyer', '8', '12345678'),
  partner('SAP seller', '1', '1234567890123', { customerExternalId: 'SAP-BUYER' }),
  partner('Danish seller', '14', '5790000274017', { customerExternalId: 'DK-BUYER' }),
  partner('Pharma DC', '14', '512X20101054836182'),
  partner('Cummins supplier', '1', '005435656'),
  partner('Belgian buyer', '14', '5400110000009'),
  partner('Automotive supplier', '', 'GMI-SUPPLIER', { customerExternalId: 'GM' }),
];

const read = (file: string) => fs.readFileSync(path.join(__dirname, '..', '__fixtures__', file));

async function inbound(body: Buffer) {
  const result = await edifactInbound(body, {
    mappers: TRANSPORT_EDIFACT_MESSAGES,
    partner: partnersFrom(PARTNERS),
    us: { qualifier: 'ZZ', id: 'TRADELANE' },
    orderSource: 'erp-sap-idoc:main',
    now: new Date('2026-12-01T12:00:00Z'),
  });
  assertRecordsMeetContracts('tms', result.records);
  const acks = result.acknowledgements.map((a) => {
    const doc = readEdifact(a.text);
    expect(doc.interchanges[0].problems).toEqual([]);
    expect(doc.interchanges[0].groups[0].messages.map((m) => m.problems)).toEqual(
      doc.interchanges[0].groups[0].messages.map(() => []),
    );
    expect(new NodeEdifactReader().parse(a.text).map((s) => s.name)[0]).toBe('UNB');
    return [
      a.name,
      ...doc.interchanges[0].groups[0].messages.flatMap((m) =>
        m.segments.slice(1, -1).map((s) => [s.tag, ...s.elements.slice(1).map((e) => e.join(':'))].join('+')),
      ),
    ];
  });
  return { records: result.records, acks, notes: result.notes };
}

const brief = (records: Awaited<ReturnType<typeof inbound>>['records']) =>
  records.map((r) =>
    r.rejected
      ? { key: r.key, rejected: r.rejected.reason, field: r.rejected.field }
      : { type: r.type, key: r.key, occurredAt: r.occurredAt, payload: r.payload },
  );

describe('transport-edifact over the captured files', () => {
  it('IFTSTA D00B rail container status: the status in transit, at Syracuse, with its containers', async () => {
    const { records, acks } = await inbound(read('apimeister_IFTSTA_D00B_rail_container_status.edi'));
    expect(brief(records)).toMatchInlineSnapshot(`
[
  {
    "key": "ABCD224O4023815X",
    "occurredAt": "2022-11-19T06:10:00.000Z",
    "payload": {
      "carrier": "SENDER-COMP",
      "customerExternalId": "SHIPPER-1",
      "externalId": "ABCD224O4023815X",
      "location": "SYRACUSE",
      "orderExternalId": "2023521591",
      "orderSource": "erp-sap-idoc:main",
      "sourceStatus": "P Rail Departed from In-Transit Locat",
      "status": "IN_TRANSIT",
      "trackingRefs": [
        "TRHU4561222",
      ],
    },
    "type": "delivery.status-changed",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "CONTRL_SENDER_2803570.edi",
    "UCI+2803570+SENDER:ZZZ+RECEIVER:ZZZ+7",
  ],
]
`);
  });

  it('ORDERS on one CRLF line (UNOA:1): the order with its lines; a wrong UNT count noted', async () => {
    const { records, acks } = await inbound(read('blueseer_ORDERS.txt'));
    expect(brief(records)).toMatchInlineSnapshot(`
[
  {
    "key": "TESTPONUMBER",
    "occurredAt": "2001-11-06T23:00:00.000Z",
    "payload": {
      "currency": "USD",
      "customerExternalId": "12345",
      "externalId": "TESTPONUMBER",
      "lines": [
        {
          "description": "HUFFY BICYCLE",
          "quantity": 5,
          "sku": "ITEM1",
          "unitPrice": 0,
        },
        {
          "description": "TRIDENT BICYCLE EX+",
          "quantity": 2,
          "sku": "ITEM2",
          "unitPrice": 0,
        },
        {
          "description": "SCHWINN PRO",
          "quantity": 1,
          "sku": "ITEM3",
          "unitPrice": 0,
        },
        {
          "description": "TRICYCLE",
          "quantity": 1,
          "sku": "ITEM4",
          "unitPrice": 0,
        },
      ],
      "orderedAt": "2001-11-06T23:00:00.000Z",
      "parties": [
        {
          "customerExternalId": "12345",
          "role": "consignee",
        },
        {
          "customerExternalId": "54321",
          "role": "consignee",
        },
      ],
      "status": "new",
    },
    "type": "order.upserted",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "CONTRL_999999999_186.edi",
    "UCI+186+999999999:ZZ+BLUESEER:ZZ+7",
    "UCM+72+ORDERS:D:97A:UN+7+29",
  ],
]
`);
  });

  it('EANCOM ORDERS with a decimal comma and no UNZ: read, the missing trailer noted', async () => {
    const { records, acks } = await inbound(read('pydifact_ORDERS_D96A_EAN008_UNA_comma.edi'));
    expect(brief(records)).toMatchInlineSnapshot(`
[
  {
    "key": "801715918011",
    "occurredAt": "2015-08-02T22:00:00.000Z",
    "payload": {
      "customerExternalId": "8711576000012",
      "externalId": "801715918011",
      "lines": [
        {
          "quantity": 8,
          "sku": "5020436373085",
          "unitPrice": 0,
        },
        {
          "quantity": 8,
          "sku": "5020436373108",
          "unitPrice": 0,
        },
      ],
      "orderedAt": "2015-08-02T22:00:00.000Z",
      "parties": [
        {
          "customerExternalId": "5020436000004",
          "role": "supplier",
        },
        {
          "customerExternalId": "8711576000012",
          "role": "customer",
        },
        {
          "customerExternalId": "8711576100019",
          "role": "consignee",
        },
      ],
      "requiredAt": "2015-08-05T22:00:00.000Z",
      "status": "new",
    },
    "type": "order.upserted",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "CONTRL_12345678_807.edi",
    "UCI+807+12345678:8+WBDZDD:ZZ+7",
  ],
]
`);
  });

  it('EANCOM ORDERS inside UNG/UNE', async () => {
    const { records } = await inbound(read('staedi_ORDERS_D96B_EAN008_with_UNG.edi'));
    expect(brief(records)).toMatchInlineSnapshot(`
[
  {
    "key": "C1441747",
    "occurredAt": "2001-05-02T20:00:00.000Z",
    "payload": {
      "customerExternalId": "5400110000009",
      "externalId": "C1441747",
      "lines": [
        {
          "description": "WIDGETS",
          "quantity": 288,
          "sku": "5400111864181",
          "unitPrice": 12.8,
        },
      ],
      "orderedAt": "2001-05-02T20:00:00.000Z",
      "parties": [
        {
          "customerExternalId": "5400110000009",
          "role": "customer",
        },
        {
          "customerExternalId": "5013546107732",
          "role": "supplier",
        },
      ],
      "status": "new",
    },
    "type": "order.upserted",
  },
]
`);
  });

  it('ORDRSP D02A (CRLF): the answer to order 0000347163, all lines accepted', async () => {
    const { records } = await inbound(read('sapsamples_ORDRSP_D02A_CRLF.edi'));
    expect(brief(records)).toMatchInlineSnapshot(`
[
  {
    "key": "0000347163",
    "occurredAt": "2023-10-03T22:00:00.000Z",
    "payload": {
      "currency": "USD",
      "customerExternalId": "SAP-BUYER",
      "externalId": "0000347163",
      "lineCount": 4,
      "orderedAt": "2023-10-03T22:00:00.000Z",
      "status": "accepted",
    },
    "type": "order.upserted",
  },
]
`);
  });

  it('two IFTMIN in one interchange (malformed UNB date, second UNT off by one): two transport orders', async () => {
    const { records, acks } = await inbound(read('chemaclass_IFTMIN_S93A_PN001_two_messages.edi'));
    expect(brief(records)).toMatchInlineSnapshot(`
[
  {
    "key": "56677786689",
    "occurredAt": "2026-12-01T12:00:00.000Z",
    "payload": {
      "customerExternalId": "PARCEL-CUST",
      "externalId": "56677786689",
      "lineCount": 0,
      "orderedAt": "2026-12-01T12:00:00.000Z",
      "orderedAtBasis": "received",
      "parties": [
        {
          "customerExternalId": "0410106314",
          "role": "shipper",
        },
      ],
      "requiredAt": "2019-10-10T22:00:00.000Z",
      "status": "new",
    },
    "type": "order.upserted",
  },
  {
    "key": "05055700896",
    "occurredAt": "2026-12-01T12:00:00.000Z",
    "payload": {
      "customerExternalId": "PARCEL-CUST",
      "externalId": "05055700896",
      "lineCount": 0,
      "orderedAt": "2026-12-01T12:00:00.000Z",
      "orderedAtBasis": "received",
      "parties": [
        {
          "customerExternalId": "0410106314",
          "role": "shipper",
        },
      ],
      "requiredAt": "2019-10-10T22:00:00.000Z",
      "status": "new",
    },
    "type": "order.upserted",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "CONTRL_9457386_8.edi",
    "UCI+8+9457386:30+73130012:30+7",
    "UCM+2+IFTMIN:S:93A:UN:PN001+7+29",
  ],
]
`);
  });

  it('INVOIC D97B with UTF-8 in a UNOA interchange, and the same with UNA = * ~ separators: the same invoice', async () => {
    const plain = await inbound(read('staedi_INVOIC_D97B.edi'));
    const una = await inbound(read('staedi_INVOIC_D97B_UNA_nondefault_separators.edi'));
    expect(brief(plain.records)).toMatchInlineSnapshot(`
[
  {
    "key": "342459",
    "occurredAt": "2006-05-14T22:00:00.000Z",
    "payload": {
      "currency": "USD",
      "customerExternalId": "792820524",
      "dueAt": "2006-06-13T22:00:00.000Z",
      "externalId": "342459",
      "issuedAt": "2006-05-14T22:00:00.000Z",
      "orderExternalId": "521052",
      "status": "OPEN",
      "totalAmount": 2137.58,
    },
    "type": "invoice.upserted",
  },
]
`);
    expect(brief(una.records)).toEqual(brief(plain.records));
    expect(plain.notes[0]).toMatch(/declares UNOA but holds UTF-8 text/);
  });

  it('INVOIC D03B syntax 4 with a repetition separator and ?-escaped apostrophe', async () => {
    const { records } = await inbound(read('smooks_INVOIC_D03B_UNOC4_UNA_repetition_separator.edi'));
    expect(brief(records)).toMatchInlineSnapshot(`
[
  {
    "key": "539602",
    "occurredAt": "1999-04-19T22:00:00.000Z",
    "payload": {
      "currency": "GBP",
      "customerExternalId": "DK-BUYER",
      "dueAt": "1999-05-19T22:00:00.000Z",
      "externalId": "539602",
      "issuedAt": "1999-04-19T22:00:00.000Z",
      "status": "OPEN",
      "totalAmount": 362,
    },
    "type": "invoice.upserted",
  },
]
`);
  });

  it('automotive INVOIC whose DTM 102 dates carry a time: rejected, the CONTRL naming segment and element', async () => {
    const { records, acks } = await inbound(read('pydifact_INVOIC_D97A_automotive.edi'));
    expect(brief(records)).toMatchInlineSnapshot(`
[
  {
    "field": "UNB 0020 PAYO0012101221 UNH 0062 1 DTM (segment 3) element 1",
    "key": "01010000253001/PAYO0012101221/1",
    "rejected": "interchange PAYO0012101221 message INVOIC 1 rejected: DTM element 1 component 2 (segment 3): "199910060000" is not a valid date for format 102 (yyyyMMdd); DTM element 1 component 2 (segment 16): "199909280000" is not a valid date for format 102 (yyyyMMdd)",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "CONTRL_01010000253001_PAYO0012101221.edi",
    "UCI+PAYO0012101221+01010000253001+O0013000093SCHA-Z59+7",
    "UCM+1+INVOIC:D:97A:UN+4+12",
    "UCS+3",
    "UCD+12+1:2",
    "UCS+16",
    "UCD+12+1:2",
  ],
]
`);
  });

  it('RECADV declaring UNOA with Chinese UTF-8 addresses: delivered, the charset noted', async () => {
    const { records, notes } = await inbound(read('smooks_RECADV_D01B_EAN007_UNOA_with_utf8_chinese.edi'));
    expect(brief(records)).toMatchInlineSnapshot(`
[
  {
    "key": "20220808112809950",
    "occurredAt": "2022-08-22T22:00:00.000Z",
    "payload": {
      "customerExternalId": "FR11",
      "deliveredAt": "2022-08-22T22:00:00.000Z",
      "externalId": "20220808112809950",
      "orderExternalId": "5502284066",
      "orderSource": "erp-sap-idoc:main",
      "parties": [
        {
          "customerExternalId": "FR11",
          "role": "customer",
        },
        {
          "customerExternalId": "GCCN33",
          "role": "consignee",
        },
        {
          "customerExternalId": "FR21",
          "role": "supplier",
        },
      ],
      "sourceStatus": "RECADV 20220808112809950",
      "status": "DELIVERED",
    },
    "type": "delivery.status-changed",
  },
]
`);
    expect(notes[0]).toMatch(/declares UNOA but holds UTF-8 text/);
  });

  it('DESADV whose UNB sender is a blank: refused whole, naming UNB 0004 and the byte', async () => {
    await expect(inbound(read('vscodeedi_DESADV_D07A_GMI021_CPS_PAC_PCI_GIN.edifact'))).rejects.toThrow(
      new ConnectorError(
        'permanent',
        'interchange 000000128 (byte 10) names no sender (UNB S002 0004 is blank): it cannot be attributed to a trading partner',
      ),
    );
  });

  it('the same DESADV with a sender: despatched with its GIN labels, the repeated message the same record', async () => {
    const text = read('vscodeedi_DESADV_D07A_GMI021_CPS_PAC_PCI_GIN.edifact')
      .toString('utf8')
      .replace('UNB+UNOB:3+ + +', 'UNB+UNOB:3+GMI-SUPPLIER+TRADELANE+');
    const { records, acks } = await inbound(Buffer.from(text));
    expect(records).toHaveLength(2);
    expect(records[1]).toEqual(records[0]);
    expect(brief(records.slice(0, 1))).toMatchInlineSnapshot(`
[
  {
    "key": "20171229",
    "occurredAt": "2018-01-24T09:27:00.000Z",
    "payload": {
      "customerExternalId": "GM",
      "externalId": "20171229",
      "orderExternalId": "5500011089",
      "orderSource": "erp-sap-idoc:main",
      "packages": [
        {
          "ref": "LOT NO. 1-3",
          "type": "GIN ML",
        },
        {
          "ref": "S1975362171229-9",
          "type": "GIN ML",
        },
        {
          "ref": "S1975362171229-11",
          "type": "GIN ML",
        },
        {
          "ref": "S1975362171229-15",
          "type": "GIN ML",
        },
        {
          "ref": "S1975362171229-10",
          "type": "GIN ML",
        },
        {
          "ref": "S1975362171229-12",
          "type": "GIN ML",
        },
        {
          "ref": "LOT NO. 2-3",
          "type": "GIN ML",
        },
        {
          "ref": "S1975362171229-13",
          "type": "GIN ML",
        },
        {
          "ref": "S1975362171229-16",
          "type": "GIN ML",
        },
        {
          "ref": "S1975362171229-14",
          "type": "GIN ML",
        },
        {
          "ref": "S1975362171229-2",
          "type": "GIN ML",
        },
        {
          "ref": "S1975362171229-1",
          "type": "GIN ML",
        },
        {
          "ref": "S1975362171229-3",
          "type": "GIN ML",
        },
      ],
      "parties": [
        {
          "customerExternalId": "104",
          "role": "customer",
        },
        {
          "customerExternalId": "0048202147",
          "role": "supplier",
        },
        {
          "customerExternalId": "3630",
          "role": "consignee",
        },
      ],
      "pickedUpAt": "2018-01-24T09:27:00.000Z",
      "promisedTo": "2018-01-24T09:27:00.000Z",
      "sourceStatus": "DESADV 351",
      "status": "PICKED_UP",
    },
    "type": "delivery.status-changed",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "CONTRL_GMI-SUPPLIER_000000128.edi",
    "UCI+000000128+GMI-SUPPLIER+TRADELANE+7",
    "UCM+2266+DESADV:D:07A:UN:GMI021+7+26",
  ],
]
`);
  });

  it('EANCOM INVRPT (written from the D96A layout): stock levels per location and status', async () => {
    const text = [
      "UNA:+,? '",
      "UNB+UNOC:3+5790000274017:14+TRADELANE:ZZ+261130:0600+501'",
      "UNH+1+INVRPT:D:96A:UN:EAN008'",
      "BGM+35+INV-7+9'",
      "DTM+137:20261130:102'",
      "DTM+366:202611300600:203'",
      "LOC+18+DC1::9'",
      "LIN+1++4012345000017:EN'",
      "QTY+145:120,5:PCE'",
      "QTY+156:4'",
      "LOC+18+DC2::9'",
      "UNT+10+1'",
      "UNZ+1+501'",
    ].join('\n');
    const { records } = await inbound(Buffer.from(text));
    expect(brief(records)).toMatchInlineSnapshot(`
[
  {
    "key": "DC1/4012345000017",
    "occurredAt": "2026-11-30T05:00:00.000Z",
    "payload": {
      "asOf": "2026-11-30T05:00:00.000Z",
      "customerExternalId": "DK-BUYER",
      "externalId": "INV-7/1/DC1/available",
      "quantity": 120.5,
      "reason": "reported",
      "sku": "4012345000017",
      "sourceReason": "QTY 145",
      "status": "available",
      "unit": "PCE",
      "warehouse": "DC1",
    },
    "type": "stock.level-changed",
  },
  {
    "key": "DC2/4012345000017",
    "occurredAt": "2026-11-30T05:00:00.000Z",
    "payload": {
      "asOf": "2026-11-30T05:00:00.000Z",
      "customerExternalId": "DK-BUYER",
      "externalId": "INV-7/1/DC2/on-hold",
      "quantity": 4,
      "reason": "reported",
      "sku": "4012345000017",
      "sourceReason": "QTY 156",
      "status": "on-hold",
      "warehouse": "DC2",
    },
    "type": "stock.level-changed",
  },
]
`);
  });

  it('IFCSUM EAN003 (UNT says 787 for 27): the consignment booked with its SSCCs, trailing dots off the GLNs', async () => {
    const { records, acks } = await inbound(read('edinet_IFCSUM_D01B_EAN003_GID_SSCC.edi'));
    expect(brief(records)).toMatchInlineSnapshot(`
[
  {
    "key": "311447177",
    "occurredAt": "2018-05-24T22:00:00.000Z",
    "payload": {
      "carrier": "5999999999950",
      "customerExternalId": "5011408000007",
      "externalId": "311447177",
      "orderExternalId": "5000706244",
      "orderSource": "erp-sap-idoc:main",
      "packages": [
        {
          "ref": "350114081527920321",
          "type": "SSCC",
        },
      ],
      "parties": [
        {
          "customerExternalId": "5011408000007",
          "role": "shipper",
        },
        {
          "customerExternalId": "PC",
          "role": "consignee",
        },
      ],
      "pickedUpAt": "2018-05-24T22:00:00.000Z",
      "promisedTo": "2018-05-28T22:00:00.000Z",
      "sourceStatus": "IFCSUM 1000505549",
      "status": "PICKED_UP",
    },
    "type": "delivery.status-changed",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "CONTRL_5011408000007_2216.edi",
    "UCI+2216+5011408000007:14+5999999999952:14+7",
    "UCM+1+IFCSUM:D:01B:UN:EAN003+7+29",
  ],
]
`);
  });

  it.each([
    ['blueseer_CONTRL_D98A_single_line.txt', /reports on interchange 186: received/],
    [
      'pydifact_APERAK_D96A_rejected_bad_UNT.edi',
      /application errors on PO123456: 12: Order rejected due to invalid product code/,
    ],
    ['edinet_APERAK_D96A_stray_UNB.edi', /application errors on/],
  ])('%s: an acknowledgement of ours is read and logged, gives no record', async (file, note) => {
    const { records, notes } = await inbound(read(file));
    expect(records).toEqual([]);
    expect(notes.join('\n')).toMatch(note);
  });
});

describe('the interchange register', () => {
  const body = read('apimeister_IFTSTA_D00B_rail_container_status.edi');
  const run = (duplicate: 'no' | 'same' | 'different') =>
    edifactInbound(body, {
      mappers: TRANSPORT_EDIFACT_MESSAGES,
      partner: partnersFrom(PARTNERS),
      received: async () => ({
        duplicate,
        firstReceivedAt: '2026-11-30T08:00:00.000Z',
        previousControl: '2803560',
      }),
      us: { qualifier: 'ZZ', id: 'TRADELANE' },
    });

  it('acknowledges a duplicate again with the same records (the inbox takes them once)', async () => {
    const first = await run('no');
    const again = await run('same');
    expect(again.records).toEqual(first.records);
    expect(again.acknowledgements.map((a) => a.name)).toEqual(first.acknowledgements.map((a) => a.name));
    expect(again.notes.join('\n')).toMatch(
      /duplicate \(first received 2026-11-30T08:00:00.000Z\): acknowledged again, not ingested twice/,
    );
  });

  it('refuses a control reference reused for other content, naming UNB 0020', async () => {
    await expect(run('different')).rejects.toThrow(
      new ConnectorError(
        'permanent',
        'interchange control reference 2803570 from Ocean carrier was already used on 2026-11-30T08:00:00.000Z for other content: refused',
      ),
    );
  });

  it('rejects a message whose version the partner did not agree (UCM 4 code 17), naming UNH S009', async () => {
    const result = await edifactInbound(read('apimeister_IFTSTA_D00B_rail_container_status.edi'), {
      mappers: TRANSPORT_EDIFACT_MESSAGES,
      partner: partnersFrom([
        partner('Ocean carrier', 'ZZZ', 'SENDER', { customerExternalId: 'SHIPPER-1', versions: ['D96A'] }),
      ]),
      us: { qualifier: 'ZZ', id: 'TRADELANE' },
    });
    expect(result.records.map((r) => r.rejected?.reason)).toEqual([
      expect.stringContaining('version D:00B (UNH S009) is not one agreed with Ocean carrier (D96A)'),
    ]);
    expect(result.acknowledgements[0].text).toContain("UCM+2805567+IFTSTA:D:00B:UN+4+17'");
  });
});
