/**
 * SHPMNT05 in the flat form SAP's file port writes, over a file reconstructed field by field from
 * SAP's published segment definitions (not from our layouts: __fixtures__/SOURCES.md says how): the
 * transport status, route and container id come from SAP's columns, deadlines are read in their
 * TZONE_BEG / TZONE_END zones and zone-less times in the instance's zone; a blank status is an
 * error, not "planned". Older versions of known IDoc types read through the same segments.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { idocRecords } from '../erp-sap-idoc.connector';
import { writeDebmas } from '../outbound/idoc.writer';
import { debmasToCustomer, invoicToInvoice, ordersToOrder, shpmntToDeliveries } from './idoc.mapper';
import { parseFlatIdocs } from './idoc/idoc.parser';
import { fieldsOf, IDOC_TYPES, SDATA_OFFSET } from './idoc/idoc.segments';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', '__fixtures__', name), 'latin1');
const SHPMNT = fixture('reconstructed_SHPMNT05_flatfile.txt');

/** The file with one field of one record replaced (same width), by field name. */
function withField(text: string, segment: string, field: string, value: string, nth = 0): string {
  const f = fieldsOf(IDOC_TYPES.SHPMNT05[segment]).find((x) => x.name === field)!;
  let seen = -1;
  return text
    .split('\r\n')
    .map((line) => {
      if (!line.startsWith(segment) || ++seen !== nth) return line;
      const padded = line.padEnd(SDATA_OFFSET + f.offset + f.length);
      return (
        padded.slice(0, SDATA_OFFSET + f.offset) +
        value.padEnd(f.length) +
        padded.slice(SDATA_OFFSET + f.offset + f.length)
      );
    })
    .join('\r\n');
}

it('reads a flat SHPMNT05 at SAP’s columns: status, route, container id, deadlines in their zones', () => {
  const [idoc] = parseFlatIdocs(SHPMNT);
  const head = idoc.segments.find((s) => s.type === 'E2EDT20')!;
  expect(head.fields).toMatchObject({
    TKNUM: '0000012345',
    SHTYP: '0001',
    VSART: '01',
    ROUTE: 'R00001',
    SIGNI: 'HH-TL 4711',
    EXTI1: 'EXT-778',
    TPBEZ: 'Weekly Hamburg run',
    STTRG: '7',
    DISTZ: '412.000',
  });
  const [delivery] = shpmntToDeliveries({ ...idoc, zone: 'Europe/Berlin' });
  expect(delivery).toEqual({
    externalId: '0080012345',
    status: 'DELIVERED',
    sourceStatus: 'shipment ended',
    orderExternalId: '0000004711',
    customerExternalId: '0000001000',
    parties: [{ role: 'consignee', customerExternalId: '0000001001' }],
    pickedUpAt: '2026-11-24T05:15:00.000Z', // 06:15 CET (TZONE_BEG)
    promisedTo: '2026-11-24T15:00:00.000Z', // 16:00 CET (TZONE_END)
    deliveredAt: '2026-11-24T13:10:00.000Z', // proof of delivery 14:10 in the system's zone (Berlin)
    trackingRefs: ['0000012345', 'HH-TL 4711', 'EXT-778'],
  });
  // The event time is CREDAT/CRETIM in the instance's zone.
  const [record] = idocRecords(Buffer.from(SHPMNT, 'latin1'), 'utf8', undefined, 'Europe/Berlin');
  expect(record.occurredAt).toBe('2026-11-24T14:30:00.000Z');
  // Without a zone set, zone-less times are UTC; the TZONE_* deadlines stay what they say.
  const [utc] = shpmntToDeliveries(idoc);
  expect(utc).toMatchObject({
    deliveredAt: '2026-11-24T14:10:00.000Z',
    promisedTo: '2026-11-24T15:00:00.000Z',
  });
});

it('refuses a blank transport status and an unknown time zone, naming record, column and field', () => {
  const blank = parseFlatIdocs(withField(SHPMNT, 'E2EDT20', 'STTRG', ' '))[0];
  expect(() => shpmntToDeliveries(blank)).toThrow(
    'record 2, column 172 (STTRG): the overall transport status is blank (1-7 expected)',
  );
  const mars = parseFlatIdocs(withField(SHPMNT, 'E2EDT13', 'TZONE_END', 'MARS', 1))[0];
  expect(() => shpmntToDeliveries(mars)).toThrow(
    /^record 8, column \d+ \(TZONE_END\): "MARS" is not an SAP time zone this connector knows/,
  );
  const utcPlus8 = parseFlatIdocs(withField(SHPMNT, 'E2EDT13', 'TZONE_END', 'UTC+8', 1))[0];
  expect(shpmntToDeliveries(utcPlus8)[0].promisedTo).toBe('2026-11-24T08:00:00.000Z');
});

describe('older versions of known IDoc types', () => {
  it('ORDERS01-04 and INVOIC01 map through the ORDERS05 / INVOIC02 segments', () => {
    const orders = fixture('blueseer_ORDERS05_flatfile.txt');
    const invoic = fixture('blueseer_INVOIC02_flatfile.txt');
    const order = ordersToOrder(parseFlatIdocs(orders)[0]);
    for (const older of ['ORDERS01', 'ORDERS02', 'ORDERS03', 'ORDERS04']) {
      const [idoc] = parseFlatIdocs(orders.replace('ORDERS05', older));
      expect(idoc.type).toBe(older);
      expect(ordersToOrder(idoc)).toEqual(order);
    }
    const invoice = invoicToInvoice(parseFlatIdocs(invoic)[0]);
    expect(invoicToInvoice(parseFlatIdocs(invoic.replace('INVOIC02', 'INVOIC01'))[0])).toEqual(invoice);
  });

  it('DEBMAS01-06 map through the DEBMAS07 segments', () => {
    const text = writeDebmas(
      { kunnr: '0000100042', name: 'Kühne Logistik', city: 'Rotterdam', country: 'NL' },
      {
        docnum: '1',
        sender: { port: 'SAPPRD', partner: 'PRDCLNT100' },
        receiver: { port: 'TRADELANE', partner: 'TRADELANE' },
        mandt: '100',
        createdAt: new Date('2026-11-23T10:00:00Z'),
      },
    );
    const current = debmasToCustomer(parseFlatIdocs(text)[0]);
    for (const older of ['DEBMAS01', 'DEBMAS03', 'DEBMAS05', 'DEBMAS06'])
      expect(debmasToCustomer(parseFlatIdocs(text.replace('DEBMAS07', older))[0])).toEqual(current);
  });
});
