import { CanonicalRecord } from '@tradelane/connector-sdk';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileImportConnector } from './file-import.connector';
import { ImportMapping, mappingProblems } from './mapping/import-mapping';

const FIXTURES = path.join(__dirname, '__fixtures__');
const NORTHWIND = path.join(__dirname, '../../../config/sample/northwind');
const RECEIVED = '2026-11-30T08:00:00.000Z';

async function load(
  mapping: ImportMapping,
  body: Buffer | string,
  fileName: string,
): Promise<CanonicalRecord[]> {
  const runtime = fileImportConnector.create(
    { mapping },
    { instance: 'file-import:test', tenant: 'default', log: () => undefined },
  );
  return runtime.accept!('upload', Buffer.isBuffer(body) ? body : Buffer.from(body), {
    'x-file-name': fileName,
    'x-received-at': RECEIVED,
  });
}

const ok = (records: CanonicalRecord[]) => records.filter((r) => !r.rejected);
const rejected = (records: CanonicalRecord[]) =>
  records.filter((r) => r.rejected).map((r) => r.rejected!.reason);

describe('mapping checks', () => {
  it('accepts a usable mapping', () => {
    expect(
      mappingProblems({
        records: [
          { type: 'order.upserted', fields: { externalId: 'id', orderedAt: 'at', customerExternalId: 'c' } },
        ],
      }),
    ).toEqual([]);
  });

  it('names where a mapping is wrong: unknown setting, unknown type, unknown field, bad zone, no key', () => {
    expect(mappingProblems({ records: [], colour: 1 })[0]).toBe('(the mapping): unknown setting "colour"');
    expect(mappingProblems({ records: [{ type: 'order.created', fields: { a: 'b' } }] })[0]).toMatch(
      /^records\.0\.type: must be one of customer\.upserted, order\.upserted/,
    );
    expect(
      mappingProblems({
        records: [{ type: 'order.upserted', fields: { externalId: 'id', promisedDate: 'd' } }],
      })[0],
    ).toMatch(
      /^records\[0\]\.fields\.promisedDate: order\.upserted has no field "promisedDate" \(fields: externalId, parties/,
    );
    expect(
      mappingProblems({
        records: [
          {
            type: 'order.upserted',
            fields: { externalId: 'id', lines: { each: { sku: 'sku', colour: 'c' } } },
          },
        ],
      })[0],
    ).toMatch(/^records\[0\]\.fields\.lines\.each\.colour: order\.upserted has no field "colour"/);
    expect(
      mappingProblems({
        timeZone: 'Mars/Olympus',
        records: [{ type: 'customer.upserted', fields: { externalId: 'a' } }],
      }),
    ).toEqual(['timeZone: "Mars/Olympus" is not an IANA time zone (e.g. Europe/Amsterdam)']);
    expect(mappingProblems({ records: [{ type: 'customer.upserted', fields: { name: 'n' } }] })).toEqual([
      'records[0]: give "key" or map "externalId" (the record\'s key)',
    ]);
  });
});

describe('real exports', () => {
  it('reads a D365 Customers V3 DMF CSV export: 212 upper-case columns, one account in two companies, US dates', async () => {
    const mapping: ImportMapping = {
      records: [
        {
          type: 'customer.upserted',
          key: { template: '{DataAreaId}/{CUSTOMERACCOUNT}' },
          occurredAt: { column: 'ADDRESSVALIDFROM', format: 'M/d/yyyy H:mm' },
          fields: {
            externalId: { template: '{DataAreaId}/{CUSTOMERACCOUNT}' },
            name: 'ORGANIZATIONNAME',
            street: 'ADDRESSSTREET',
            city: 'ADDRESSCITY',
            postalCode: 'ADDRESSZIPCODE',
          },
        },
      ],
    };
    expect(mappingProblems(mapping)).toEqual([]);
    const records = await load(
      mapping,
      readFileSync(path.join(FIXTURES, 'fasttrack_D365_DMF_CustomersV3_export.csv')),
      'CustomersV3.csv',
    );
    expect(rejected(records)).toEqual([]);
    expect(records.map((r) => [r.key, (r.payload as { name: string }).name, r.occurredAt])).toEqual([
      ['USMF/IMP-110143', 'Import - 110142-1', '2020-08-25T13:03:00Z'],
      ['GBSI/IMP-110143', 'Import - 110142-2', '2020-08-25T13:03:00Z'],
      ['GBSI/IMP-910140', 'IMP-910140', '2020-08-25T13:03:00Z'],
    ]);
    expect(records[0].payload).toEqual({
      externalId: 'USMF/IMP-110143',
      name: 'Import - 110142-1',
      street: '1 Way',
      city: 'Redmond',
      postalCode: '98052',
    });
  });

  it('reads Northwind orders.csv: unquoted commas in addresses, NULL cells, date-times without offset, a date-only promise written as midnight', async () => {
    const mapping: ImportMapping = {
      nullValues: ['NULL'],
      csv: { joinExtraCellsInto: 'shipAddress' },
      timeZone: 'Europe/Berlin',
      records: [
        {
          type: 'order.upserted',
          occurredAt: 'orderDate',
          fields: {
            externalId: 'orderID',
            customerExternalId: 'customerID',
            orderedAt: 'orderDate',
            requiredAt: 'requiredDate',
            freight: 'freight',
          },
        },
        {
          type: 'delivery.status-changed',
          when: 'shippedDate',
          occurredAt: 'shippedDate',
          fields: {
            externalId: { template: 'SHP-{orderID}' },
            orderExternalId: 'orderID',
            status: { value: 'DELIVERED' },
            deliveredAt: 'shippedDate',
            promisedDate: 'requiredDate',
            promiseZone: { value: 'Europe/Berlin' },
          },
        },
      ],
    };
    const records = await load(mapping, readFileSync(path.join(NORTHWIND, 'orders.csv')), 'orders.csv');
    expect(rejected(records)).toEqual([]);
    const orders = records.filter((r) => r.type === 'order.upserted');
    const deliveries = records.filter((r) => r.type === 'delivery.status-changed');
    expect(orders).toHaveLength(830);
    expect(deliveries).toHaveLength(809); // 21 orders were never shipped (shippedDate NULL)
    expect(orders[0].payload).toEqual({
      externalId: '10248',
      customerExternalId: 'VINET',
      orderedAt: '1996-07-03T22:00:00Z', // midnight in Berlin (CEST)
      requiredAt: '1996-07-31T22:00:00Z',
      freight: 32.38,
    });
    expect(deliveries[0].payload).toMatchObject({
      externalId: 'SHP-10248',
      promisedDate: '1996-08-01',
      status: 'DELIVERED',
    });

    // Without the setting, the 176 rows with a comma in the address are rejected (their cells are shifted), the rest load.
    const strict = await load(
      { ...mapping, csv: undefined },
      readFileSync(path.join(NORTHWIND, 'orders.csv')),
      'orders.csv',
    );
    expect(ok(strict).filter((r) => r.type === 'order.upserted')).toHaveLength(654);
    expect(rejected(strict)[0]).toBe(
      'orders.csv row 4: 15 cells where the header has 14 (a delimiter inside an unquoted cell? set csv.joinExtraCellsInto to the column that holds it)',
    );
    expect(strict.find((r) => r.rejected)!.key).toBe('10250');
  });
});

describe('quirks of hand-made exports', () => {
  const orderLines: ImportMapping = {
    decimalComma: true,
    records: [
      {
        type: 'order.upserted',
        fields: {
          externalId: 'Auftrag',
          customerExternalId: 'Kunde',
          orderedAt: { column: 'Datum', format: 'dd.MM.yyyy' },
          lines: { each: { sku: 'Artikel', quantity: 'Menge', unitPrice: 'Preis' } },
        },
      },
    ],
  };

  it('Excel CSV: BOM, semicolons, decimal commas, Windows-1252, one row per order line grouped by order', async () => {
    const text =
      '\uFEFFAuftrag;Kunde;Datum;Artikel;Menge;Preis\r\nA-1;K1;02.11.2026;Müsli;2;1.234,50\r\nA-1;K1;02.11.2026;Käse;1;3,10\r\nA-2;K2;03.11.2026;Brot;5;0,99\r\n';
    const cp1252 = Buffer.from(text.replace('\uFEFF', ''), 'latin1');
    for (const [body, encoding] of [
      [Buffer.from(text, 'utf8'), undefined],
      [cp1252, 'windows-1252'],
    ] as const) {
      const records = await load({ ...orderLines, encoding }, body, 'auftraege.csv');
      expect(rejected(records)).toEqual([]);
      expect(records.map((r) => r.payload)).toEqual([
        {
          externalId: 'A-1',
          customerExternalId: 'K1',
          orderedAt: '2026-11-02T00:00:00Z',
          lines: [
            { sku: 'Müsli', quantity: 2, unitPrice: 1234.5 },
            { sku: 'Käse', quantity: 1, unitPrice: 3.1 },
          ],
        },
        {
          externalId: 'A-2',
          customerExternalId: 'K2',
          orderedAt: '2026-11-03T00:00:00Z',
          lines: [{ sku: 'Brot', quantity: 5, unitPrice: 0.99 }],
        },
      ]);
    }
  });

  it('names the byte of a file that is not UTF-8 and tells which setting to change', async () => {
    const cp1252 = Buffer.from(
      'Auftrag;Kunde;Datum;Artikel;Menge;Preis\nA-1;K1;02.11.2026;Müsli;2;1,50\n',
      'latin1',
    );
    await expect(load(orderLines, cp1252, 'auftraege.csv')).rejects.toMatchObject({
      kind: 'permanent',
      field: 'auftraege.csv byte 59',
      message: expect.stringMatching(/auftraege\.csv: byte 59 \(0xfc\) is not UTF-8: set "encoding"/),
    });
  });

  it('rejects a bad row with its row and column, the others of the file go on', async () => {
    const csv = [
      'Auftrag;Kunde;Datum;Artikel;Menge;Preis',
      'A-1;K1;02.11.2026;X;2;1,00',
      'A-2;K2;31.02.2026;Y;1;1,00', // no 31 February
      'A-3;K3;04.11.2026;Z;viele;1,00', // not a number
      'A-4;K4;05.11.2026;W;-3;1,00', // refused by the contract
      'A-5;;06.11.2026;V;1;1,00', // no customer
    ].join('\n');
    const records = await load(orderLines, csv, 'auftraege.csv');
    expect(ok(records).map((r) => r.key)).toEqual(['A-1']);
    expect(rejected(records)).toEqual([
      'auftraege.csv row 3 column Datum: "31.02.2026" is not a date-time in the format dd.MM.yyyy',
      'auftraege.csv row 4 column Menge: "viele" is not a number',
      'auftraege.csv row 5 column Menge: payload.lines.0.quantity: quantity must not be less than 0',
      expect.stringMatching(/^auftraege\.csv row 6 column Kunde: payload\.customerExternalId: /),
    ]);
    expect(records.find((r) => r.key === 'A-3')!.rejected!.field).toBe('auftraege.csv row 4 column Menge');
  });

  it('NDJSON and JSON: nested properties by dotted path, enum values in any case, mapped status words, split lists', async () => {
    const mapping: ImportMapping = {
      records: [
        {
          type: 'delivery.status-changed',
          occurredAt: 'event.at',
          fields: {
            externalId: 'shipment',
            customerExternalId: 'customer.id',
            status: {
              column: 'event.status',
              map: { delivered: 'DELIVERED', canceled: 'CANCELLED', shipped: 'IN_TRANSIT' },
            },
            exceptionType: 'problem',
            trackingRefs: { column: 'tracking', split: '|' },
            promisedDate: 'eta',
          },
        },
      ],
    };
    const rows = [
      {
        shipment: 'S1',
        customer: { id: 'C1' },
        event: { status: 'Delivered', at: '2018-11-30T16:20:00-05:00' },
        tracking: '1Z9|1Z8',
        eta: '2018-11-30',
      },
      {
        shipment: 'S2',
        customer: { id: 'C1' },
        event: { status: 'canceled', at: '2018-11-29T10:00:00Z' },
        problem: 'damage',
      },
      {
        shipment: 'S3',
        customer: { id: 'C2' },
        event: { status: 'lost in space', at: '2018-11-29T10:00:00Z' },
      },
    ];
    const ndjson = rows.map((r) => JSON.stringify(r)).join('\n');
    for (const [body, name] of [
      [ndjson, 'events.ndjson'],
      [JSON.stringify(rows), 'events.json'],
    ]) {
      const records = await load(mapping, body, name);
      expect(ok(records).map((r) => r.payload)).toEqual([
        {
          externalId: 'S1',
          customerExternalId: 'C1',
          status: 'DELIVERED',
          trackingRefs: ['1Z9', '1Z8'],
          promisedDate: '2018-11-30',
        },
        { externalId: 'S2', customerExternalId: 'C1', status: 'CANCELLED', exceptionType: 'DAMAGE' },
      ]);
      expect(ok(records)[0].occurredAt).toBe('2018-11-30T21:20:00Z');
      expect(rejected(records)).toEqual([
        `${name} row 3 column event.status: "lost in space" is not one of the mapped values (delivered, canceled, shipped)`,
      ]);
    }
  });

  it('a file that cannot be read at all is one permanent error naming where', async () => {
    await expect(load(orderLines, 'Auftrag;Kunde\n"A-1;K1\n', 'kaputt.csv')).rejects.toMatchObject({
      kind: 'permanent',
      message: expect.stringMatching(/^kaputt\.csv: CSV: /),
    });
    await expect(load({ ...orderLines, format: 'json' }, '{"orders": []}', 'x.json')).rejects.toMatchObject({
      message: 'x.json: the document is not an array of rows: set "jsonPath" to the property that holds them',
    });
    await expect(load(orderLines, 'a,b\n1,2\n', 'x.ndjson')).rejects.toMatchObject({
      field: 'x.ndjson line 1',
    });
  });
});
