/**
 * SAP flat-file IDocs over the captured samples (blueseer ORDERS05 and INVOIC02, see __fixtures__/
 * SOURCES.md): parsing, mapping to canonical orders and invoices (validated against the contracts),
 * the quirks partners send (CRLF, versioned segment names, customer extension segments, partners
 * without AG), errors naming record and column, and DEBMAS written and read back.
 */
import { createEnvelope, validateEnvelope } from '@tradelane/contracts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeDebmas } from '../outbound/idoc.writer';
import { debmasToCustomer, invoicToInvoice, ordersToOrder, toCanonical } from './idoc.mapper';
import { IdocError, parseFlatIdocs } from './idoc/idoc.parser';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '..', '__fixtures__', name), 'latin1');
const ORDERS = fixture('blueseer_ORDERS05_flatfile.txt');
const INVOIC = fixture('blueseer_INVOIC02_flatfile.txt');

/** The payload as the bus would validate it. */
const valid = (type: string, payload: object) =>
  validateEnvelope(
    createEnvelope({
      type: type as never,
      source: 'erp-sap:test',
      key: 'k',
      payload: payload as never,
    }) as never,
  );

const errorOf = (fn: () => unknown): IdocError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof IdocError) return e;
    throw e;
  }
  throw new Error('expected an IdocError');
};

describe('SAP flat IDoc: ORDERS05', () => {
  const [idoc] = parseFlatIdocs(ORDERS);

  it('reads the control record', () => {
    expect(idoc.control).toMatchObject({
      TABNAM: 'EDI_DC40_U',
      MANDT: '110',
      DOCNUM: '0000000000000186',
      IDOCTYP: 'ORDERS05',
      MESTYP: 'ORDERS',
      SNDPOR: 'SAPPEN',
      SNDPRT: 'LS',
      SNDPRN: '999999999',
      CREDAT: '20221106',
    });
    expect(idoc.segments).toHaveLength(24);
  });

  it('becomes a canonical order: PO number, date, currency, four lines with material, quantity and price', () => {
    const order = ordersToOrder(idoc);
    expect(order).toEqual({
      externalId: 'TESTPONUMBER',
      // No sold-to (AG) partner in this sample (its partners are "DP" with vendor numbers): the
      // sending partner of the control record is the customer.
      customerExternalId: '999999999',
      parties: [],
      orderedAt: '2001-11-07T00:00:00.000Z',
      currency: 'USD',
      lines: [
        { sku: 'ITEM1', description: 'HUFFY BICYCLE', quantity: 5, unitPrice: 140.99 },
        { sku: 'ITEM2', description: 'TRIDENT BICYCLE EX?', quantity: 5, unitPrice: 165.99 },
        { sku: 'ITEM3', description: 'SCHWINN PRO', quantity: 2, unitPrice: 190.55 },
        { sku: 'ITEM4', description: 'TRICYCLE', quantity: 2, unitPrice: 77.79 },
      ],
    });
    expect(() => valid('erp.order.upserted.v1', order)).not.toThrow();
  });

  it('maps partner roles AG sold-to → customer, WE ship-to → consignee, RE bill-to → bill-to', () => {
    // The INVOIC02 sample's partners (RS, AG, RE, RG, WE) in an ORDERS05.
    const [asOrder] = parseFlatIdocs(INVOIC.replace('INVOIC02', 'ORDERS05'));
    const order = ordersToOrder(asOrder);
    expect(order.customerExternalId).toBe('0001234567');
    expect(order.parties).toEqual([
      { role: 'bill-to', customerExternalId: '0001234567' },
      { role: 'consignee', customerExternalId: '0001234567' },
    ]);
    expect(order.orderedAt).toBe('2022-10-28T00:00:00.000Z'); // IDDAT 012, document date
    expect(order.requiredAt).toBe('2022-10-31T00:00:00.000Z'); // IDDAT 001
    expect(order.lines?.map((l) => [l.sku, l.quantity])).toEqual([
      ['000000000099999991', 68],
      ['000000000099999992', 44],
    ]);
  });
});

describe('SAP flat IDoc: INVOIC02', () => {
  const [idoc] = parseFlatIdocs(INVOIC);

  it('becomes a canonical invoice: number, sold-to, sales order, dates, total', () => {
    const invoice = invoicToInvoice(idoc);
    expect(invoice).toEqual({
      externalId: '0012345678',
      customerExternalId: '0001234567', // AG
      orderExternalId: '0001130235', // E2EDK02 QUALF 002
      issuedAt: '2022-10-28T00:00:00.000Z', // E2EDK03 IDDAT 012
      dueAt: '2022-12-31T00:00:00.000Z', // IDDAT 028
      currency: 'USD',
      totalAmount: 7349.68, // E2EDS01 SUMID 011
      status: 'OPEN',
    });
    expect(() => valid('erp.invoice.upserted.v1', invoice)).not.toThrow();
    expect(toCanonical(idoc).type).toBe('invoice.upserted');
  });

  it('reads versioned segment names and keeps customer extension segments raw', () => {
    const k01 = idoc.segments.find((s) => s.name === 'E2EDK01005');
    expect(k01).toMatchObject({
      type: 'E2EDK01',
      known: true,
      fields: { BSART: 'INVO', BELNR: '0012345678' },
    });
    const ext = idoc.segments.filter((s) => s.name.startsWith('ZE1'));
    expect(ext.map((s) => s.name)).toEqual(['ZE1EDK810000', 'ZE1EDP810000', 'ZE1EDP810000']);
    expect(ext[0].known).toBe(false);
    expect(ext[0].raw).toContain('PICKUP TRUCK LINE IN');
  });

  it('reads CRLF files and LF files alike', () => {
    expect(parseFlatIdocs(INVOIC.replace(/\n/g, '\r\n'))).toEqual(parseFlatIdocs(INVOIC));
  });
});

describe('SAP flat IDoc: errors name the record and the column', () => {
  const lines = ORDERS.split('\n');

  it.each([
    [
      'a truncated control record',
      [lines[0].slice(0, 30), ...lines.slice(1)].join('\n'),
      1,
      31,
      'IDOCTYP',
      /ends at column 30/,
    ],
    [
      'an unknown IDoc type',
      ORDERS.replace('ORDERS05', 'ORDERS99'),
      1,
      40,
      'IDOCTYP',
      /unknown IDoc type "ORDERS99"/,
    ],
    ['a blank IDoc type', ORDERS.replace('ORDERS05', '        '), 1, 40, 'IDOCTYP', /blank/],
    [
      'data before any control record',
      lines.slice(1).join('\n'),
      1,
      1,
      'TABNAM',
      /expected a control record/,
    ],
    [
      'a control record of another table',
      ORDERS.replace('EDI_DC40_U', 'EDI_DC39_U'),
      1,
      1,
      'TABNAM',
      /must be EDI_DC40/,
    ],
    [
      'a non-numeric IDoc number',
      ORDERS.replace('0000000000000186', '00000000000X0186'),
      1,
      14,
      'DOCNUM',
      /not numeric/,
    ],
    ['an empty file', '\n\n', 1, 1, 'TABNAM', /empty/],
  ])('%s', (_what, text, record, column, field, reason) => {
    const e = errorOf(() => parseFlatIdocs(text as string));
    expect([e.record, e.column, e.field]).toEqual([record, column, field]);
    expect(e.message).toMatch(reason as RegExp);
    expect(e.message).toMatch(new RegExp(`^record ${record}, column ${column} \\(${field}\\)`));
  });

  it('names the record and column of a bad quantity or date in an item', () => {
    const badQty = lines.map((l, i) => (i === 9 ? l.slice(0, 74) + 'X' + l.slice(75) : l)).join('\n');
    const e = errorOf(() => ordersToOrder(parseFlatIdocs(badQty)[0]));
    expect([e.record, e.column, e.field]).toEqual([10, 75, 'MENGE']);
    const badDate = ORDERS.replace('20011107', '20011341');
    const d = errorOf(() => ordersToOrder(parseFlatIdocs(badDate)[0]));
    expect([d.record, d.field]).toEqual([5, 'DATUM']);
    expect(d.message).toMatch(/not a calendar date/);
  });
});

describe('DEBMAS for CRM customer updates', () => {
  const customer = {
    kunnr: '0000100042',
    name: 'Kühne Logistik Rotterdam Distribution Center B.V.',
    vatId: 'NL123456789B01',
    street: 'Waalhaven Oostzijde 1',
    city: 'Rotterdam',
    postalCode: '3087 BM',
    country: 'NL',
    phone: '+31 10 123 4567',
    email: 'ap@kuehne-rotterdam.example',
  };
  const control = {
    docnum: '4711',
    sender: { port: 'TRADELANE', partner: 'TRADELANE' },
    receiver: { port: 'SAPPRD', partner: 'PRDCLNT100' },
    mandt: '100',
    createdAt: new Date('2026-11-23T10:15:30Z'),
  };

  it('round-trips through our own parser to the same values', () => {
    const text = writeDebmas(customer, control);
    const [idoc] = parseFlatIdocs(text);
    expect(idoc.control).toMatchObject({
      IDOCTYP: 'DEBMAS07',
      MESTYP: 'DEBMAS',
      DOCNUM: '0000000000004711',
      SNDPRN: 'TRADELANE',
      RCVPRN: 'PRDCLNT100',
      CREDAT: '20261123',
      CRETIM: '101530',
    });
    expect(text.split('\r\n')[0]).toHaveLength(524);
    expect(debmasToCustomer(idoc)).toEqual({
      externalId: customer.kunnr,
      name: customer.name, // longer than NAME1 (35): continued in NAME2
      vatId: customer.vatId,
      street: customer.street,
      city: customer.city,
      postalCode: customer.postalCode,
      country: customer.country,
      phone: customer.phone,
      email: customer.email,
    });
    expect(() => valid('erp.customer.upserted.v1', debmasToCustomer(idoc))).not.toThrow();
  });

  it('refuses a value longer than its SAP field instead of cutting it', () => {
    expect(() => writeDebmas({ ...customer, city: 'x'.repeat(36) }, control)).toThrow(
      /E1KNA1M.ORT01: .* longer than 35/,
    );
  });
});
