/**
 * Every captured X12 file of the plugin's fixtures through the whole inbound path (envelope,
 * element checks, mapping, acknowledgement), the records checked field by field and each
 * acknowledgement read back with our parser and node-x12 (strict). Real: the files (SOURCES.md).
 */
import { TradingPartner } from '@tradelane/connector-sdk';
import { partnersFrom, readX12, x12Inbound } from '@tradelane/connector-sdk/edi';
import { assertRecordsMeetContracts, testPartner } from '@tradelane/connector-sdk/testing';
import { X12Parser } from 'node-x12';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TRANSPORT_X12_SETS } from '../transport-x12.connector';

const partner = (name: string, qualifier: string, id: string, extra: Partial<TradingPartner> = {}) =>
  testPartner('x12', name, qualifier, id, { timeZone: 'America/New_York', ...extra });

const PARTNERS = [
  partner('MGC carrier', '02', 'SCAC', { customerExternalId: 'CATALYST' }),
  partner('ACME', 'ZZ', 'ACME'),
  partner('Ocean carrier', 'ZZ', 'SOURCE', { customerExternalId: 'ARAUCO' }),
  partner('Shipper 999', '01', '999999999', { customerExternalId: 'ZULU' }),
  partner('Blueseer', 'ZZ', '999999999'),
  partner('ITC', 'ZZ', 'ITC-WEBSITENAME'),
  partner('LTL carrier', 'ZZ', 'XXXX', { acknowledgement: '999' }),
  partner('staedi', 'ZZ', 'ReceiverID'),
  partner('staedi 999', 'ZZ', '123456789'),
];

const read = (file: string) => fs.readFileSync(path.join(__dirname, '..', '__fixtures__', file));

async function inbound(file: string) {
  const result = await x12Inbound(read(file), {
    mappers: TRANSPORT_X12_SETS,
    partner: partnersFrom(PARTNERS),
    us: { qualifier: 'ZZ', id: 'TRADELANE' },
    orderSource: 'erp-sap-idoc:main',
    now: new Date('2026-12-01T12:00:00Z'),
  });
  assertRecordsMeetContracts('tms', result.records);
  for (const a of result.acknowledgements) {
    const ours = readX12(a.text);
    expect(ours.interchanges[0].problems).toEqual([]);
    expect(ours.interchanges[0].groups[0].sets[0].problems).toEqual([]);
    expect(() => new X12Parser(true).parse(a.text)).not.toThrow();
  }
  const acks = result.acknowledgements.map((a) =>
    readX12(a.text)
      .interchanges[0].groups[0].sets[0].segments.slice(1, -1)
      .map((s) => s.elements.join('*')),
  );
  return { records: result.records, acks };
}

describe('transport-x12 over the captured files', () => {
  it('214 with a UTF-8 BOM and an ISA split across lines: delivered, with location and parties', async () => {
    const { records, acks } = await inbound('edinet_214_bom_isa_split_across_lines.edi');
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "75027674",
    "occurredAt": "2016-07-26T16:30:00.000Z",
    "payload": {
      "carrier": "SCAC",
      "customerExternalId": "CATALYST",
      "deliveredAt": "2016-07-26T16:30:00.000Z",
      "externalId": "75027674",
      "location": "BRATTLEBORO, VT",
      "note": "completed unloading at delivery location",
      "orderExternalId": "75027674",
      "orderSource": "erp-sap-idoc:main",
      "sourceStatus": "D1/NS",
      "status": "DELIVERED",
      "trackingRefs": [
        "1751807",
        "30402",
      ],
    },
    "type": "delivery.status-changed",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*QM*82265",
    "AK2*214*822650001",
    "AK5*A",
    "AK9*A*1*1*1",
  ],
]
`);
  });

  it('214 whose segment terminator is U+2026: two events in their time zone, 999 as agreed', async () => {
    const { records, acks } = await inbound('staedi_214_ellipsis_segment_terminator.edi');
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "7727019",
    "occurredAt": "2020-09-11T15:59:00.000Z",
    "payload": {
      "carrier": "XXXX",
      "externalId": "7727019",
      "note": "estimated delivery",
      "orderExternalId": "900169",
      "orderSource": "erp-sap-idoc:main",
      "sourceStatus": "AG/NS",
      "status": "IN_TRANSIT",
      "trackingRefs": [
        "0542550913",
        "902577",
      ],
    },
    "type": "delivery.status-changed",
  },
  {
    "key": "7727019",
    "occurredAt": "2020-09-10T15:35:00.000Z",
    "payload": {
      "carrier": "XXXX",
      "externalId": "7727019",
      "note": "carrier departed pick-up location with shipment",
      "orderExternalId": "900169",
      "orderSource": "erp-sap-idoc:main",
      "pickedUpAt": "2020-09-10T15:35:00.000Z",
      "sourceStatus": "AF/NS",
      "status": "PICKED_UP",
      "trackingRefs": [
        "0542550913",
        "902577",
      ],
    },
    "type": "delivery.status-changed",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*QM*75776",
    "AK2*214*757760001",
    "IK5*A",
    "AK9*A*1*1*1",
  ],
]
`);
  });

  it('214 (5010) without LX, position as latitude/longitude', async () => {
    const { records, acks } = await inbound('blueseer_214_status.txt');
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "50005002",
    "occurredAt": "2017-05-05T16:00:00.000Z",
    "payload": {
      "carrier": "ACME",
      "externalId": "50005002",
      "location": "34.416, -79.371",
      "note": "en route to delivery location (reason AM)",
      "orderExternalId": "50005002",
      "orderSource": "erp-sap-idoc:main",
      "sourceStatus": "X6/AM",
      "status": "IN_TRANSIT",
      "trackingRefs": [
        "123456",
        "TR123",
      ],
    },
    "type": "delivery.status-changed",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*QM*1000*005010",
    "AK2*214*10000001",
    "AK5*A",
    "AK9*A*1*1*1",
  ],
]
`);
  });

  it('210 with two segments on a line and a padded trailer: the invoice total from B307', async () => {
    const { records, acks } = await inbound('edinet_210_freight_invoice_padded_trailer.edi');
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "09851270",
    "occurredAt": "2016-07-07T04:00:00.000Z",
    "payload": {
      "currency": "USD",
      "customerExternalId": "CATALYST",
      "dueAt": "2016-08-06T04:00:00.000Z",
      "externalId": "09851270",
      "issuedAt": "2016-07-07T04:00:00.000Z",
      "orderExternalId": "75027674",
      "status": "OPEN",
      "totalAmount": 659.4,
    },
    "type": "invoice.upserted",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*IM*1838",
    "AK2*210*18380001",
    "AK5*A",
    "AK9*A*1*1*1",
  ],
]
`);
  });

  it('310 whose every control number disagrees: accepted with the errors noted (AK5 E, AK9 E)', async () => {
    const { records, acks } = await inbound('apimeister_310_ocean_freight_invoice_control_mismatch.edi');
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "IDENTIFIER123",
    "occurredAt": "2022-08-30T04:00:00.000Z",
    "payload": {
      "currency": "USD",
      "customerExternalId": "ARAUCO",
      "dueAt": "2022-09-29T04:00:00.000Z",
      "externalId": "IDENTIFIER123",
      "issuedAt": "2022-08-30T04:00:00.000Z",
      "orderExternalId": "IDENTIFIER123",
      "status": "OPEN",
      "totalAmount": 4068,
    },
    "type": "invoice.upserted",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*IO*61716",
    "AK2*310*35353",
    "AK5*E*4*3",
    "AK9*E*1*1*1*4",
  ],
]
`);
  });

  it('204 load tender: the transport order with stops, parties and the required date', async () => {
    const { records, acks } = await inbound('blueseer_204_load_tender.txt');
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "751027",
    "occurredAt": "2023-08-28T12:30:00.000Z",
    "payload": {
      "carrier": "ACME",
      "customerExternalId": "ZULU",
      "externalId": "751027",
      "orderedAt": "2023-08-28T12:30:00.000Z",
      "orderedAtBasis": "received",
      "parties": [
        {
          "customerExternalId": "222",
          "role": "shipper",
        },
        {
          "customerExternalId": "3333",
          "role": "consignee",
        },
      ],
      "requiredAt": "2023-09-01T21:00:00.000Z",
      "status": "tendered",
    },
    "type": "order.upserted",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*SM*2220601*005010",
    "AK2*204*222060101",
    "AK5*A",
    "AK9*A*1*1*1",
  ],
]
`);
  });

  it('990 responses: accept, decline and counter-offer (padded SCAC)', async () => {
    const { records, acks } = await inbound('nodex12edi_990_accept_decline_counter.edi');
    expect(records).toMatchInlineSnapshot(`
[
  {
    "key": "1055337",
    "occurredAt": "2015-01-20T05:00:00.000Z",
    "payload": {
      "carrier": "SCAC",
      "externalId": "1055337",
      "note": "tender accepted",
      "orderExternalId": "1055337",
      "orderSource": "erp-sap-idoc:main",
      "sourceStatus": "B104 A",
      "status": "PLANNED",
    },
    "type": "delivery.status-changed",
  },
  {
    "key": "876818668126-189",
    "occurredAt": "2015-01-20T05:00:00.000Z",
    "payload": {
      "carrier": "SCAC",
      "externalId": "876818668126-189",
      "note": "tender declined",
      "orderExternalId": "876818668126-189",
      "orderSource": "erp-sap-idoc:main",
      "sourceStatus": "B104 D",
      "status": "CANCELLED",
    },
    "type": "delivery.status-changed",
  },
  {
    "key": "2368ADC",
    "occurredAt": "2015-01-20T05:00:00.000Z",
    "payload": {
      "carrier": "SCAC",
      "externalId": "2368ADC",
      "note": "counter-offer: Will haul for $0.50/mile more",
      "orderExternalId": "2368ADC",
      "orderSource": "erp-sap-idoc:main",
      "sourceStatus": "B104 C",
      "status": "CREATED",
    },
    "type": "delivery.status-changed",
  },
]
`);
    expect(acks).toMatchInlineSnapshot(`
[
  [
    "AK1*GF*742",
    "AK2*990*10000742",
    "AK5*A",
    "AK2*990*20000742",
    "AK5*A",
    "AK2*990*30000742",
    "AK5*A",
    "AK9*A*3*3*3",
  ],
]
`);
    const single = await inbound('edinet_990_load_tender_response.edi');
    expect(single.records.map((r) => [r.key, r.payload])).toMatchInlineSnapshot(`
[
  [
    "75027674",
    {
      "carrier": "SCAC",
      "externalId": "75027674",
      "note": "tender accepted",
      "orderExternalId": "75027674",
      "orderSource": "erp-sap-idoc:main",
      "sourceStatus": "B104 A",
      "status": "PLANNED",
    },
  ],
]
`);
  });

  it.each([
    'blueseer_997_backslash_segment_terminator.txt',
    'staedi_997_rejected_AK3_AK4.edi',
    'staedi_999_partial_accept_IK3_IK4_CTX.edi',
    'tradedocs_997_rejected_850_many_AK3.edi',
  ])('%s: an acknowledgement of ours is read, gives no record and is not acknowledged', async (file) => {
    const { records, acks } = await inbound(file);
    expect(records).toEqual([]);
    expect(acks).toEqual([]);
  });

  it('reads what the partner acknowledges, naming the rejected segments and elements', async () => {
    const result = await x12Inbound(read('staedi_997_rejected_AK3_AK4.edi'), {
      mappers: TRANSPORT_X12_SETS,
      partner: partnersFrom(PARTNERS),
      us: { qualifier: 'ZZ', id: 'TRADELANE' },
    });
    expect(result.notes.filter((n) => n.includes('acknowledges'))).toMatchInlineSnapshot(`
[
  "interchange 508121953 group 000005 transaction set 997 0001: the partner acknowledges group HC 000001: R; 837 0021 R [NM1@8 el 8 code 7]",
]
`);
  });

  it('rejects a group whose version the partner did not agree (AK9 R code 2), naming GS08', async () => {
    const result = await x12Inbound(read('blueseer_214_status.txt'), {
      mappers: TRANSPORT_X12_SETS,
      partner: partnersFrom([partner('ACME', 'ZZ', 'ACME', { versions: ['004010'] })]),
      us: { qualifier: 'ZZ', id: 'TRADELANE' },
    });
    expect(result.records.map((r) => r.rejected?.reason)).toEqual([
      expect.stringContaining('version 005010 (GS08) is not one agreed with ACME (004010)'),
    ]);
    expect(
      readX12(result.acknowledgements[0].text).interchanges[0].groups[0].sets[0].segments.map((x) =>
        x.elements.join('*'),
      ),
    ).toContain('AK9*R*1*1*0*2');
  });
});
