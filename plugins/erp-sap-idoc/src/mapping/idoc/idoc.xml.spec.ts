/**
 * IDocs in SAP's XML form read into the same structure as flat files: the captured flat samples
 * written as XML map to the same canonical records; a hand-written ORDERS05 with nested items and a
 * customer extension segment; errors name the element path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { idocRecords } from '../../erp-sap-idoc.connector';
import { toCanonical } from '../idoc.mapper';
import { IdocError, parseFlatIdocs } from './idoc.parser';
import { idocToXml, parseXmlIdocs } from './idoc.xml';

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '..', '..', '__fixtures__', name), 'latin1');

const ORDERS_XML = `<?xml version="1.0" encoding="UTF-8"?>
<ORDERS05>
  <IDOC BEGIN="1">
    <EDI_DC40 SEGMENT="1">
      <TABNAM>EDI_DC40</TABNAM><MANDT>100</MANDT><DOCNUM>0000000000512345</DOCNUM>
      <IDOCTYP>ORDERS05</IDOCTYP><MESTYP>ORDERS</MESTYP><SNDPRT>KU</SNDPRT><SNDPRN>0000100042</SNDPRN>
      <CREDAT>20261120</CREDAT><CRETIM>081500</CRETIM>
    </EDI_DC40>
    <E1EDK01 SEGMENT="1"><CURCY>EUR</CURCY><BELNR>4500012345</BELNR></E1EDK01>
    <E1EDK03 SEGMENT="1"><IDDAT>012</IDDAT><DATUM>20261120</DATUM><UZEIT>081200</UZEIT></E1EDK03>
    <E1EDK03 SEGMENT="1"><IDDAT>002</IDDAT><DATUM>20261127</DATUM></E1EDK03>
    <E1EDKA1 SEGMENT="1"><PARVW>AG</PARVW><PARTN>0000100042</PARTN><NAME1>Kappa Foods GmbH</NAME1></E1EDKA1>
    <E1EDKA1 SEGMENT="1"><PARVW>WE</PARVW><PARTN>0000100077</PARTN><NAME1>Kappa DC Duisburg</NAME1></E1EDKA1>
    <Z1KAPPA SEGMENT="1"><ZROUTE>NRW-04</ZROUTE></Z1KAPPA>
    <E1EDP01 SEGMENT="1">
      <POSEX>000010</POSEX><MENGE>24.000</MENGE><MENEE>CS</MENEE><VPREI>12.50</VPREI><PEINH>1</PEINH>
      <E1EDP19 SEGMENT="1"><QUALF>002</QUALF><IDTNR>KF-1001</IDTNR><KTEXT>Tomato sauce 6x500g</KTEXT></E1EDP19>
    </E1EDP01>
    <E1EDP01 SEGMENT="1">
      <POSEX>000020</POSEX><MENGE>10.000</MENGE><MENEE>CS</MENEE><VPREI>180.00</VPREI><PEINH>10</PEINH>
      <E1EDP19 SEGMENT="1"><QUALF>002</QUALF><IDTNR>KF-2002</IDTNR></E1EDP19>
    </E1EDP01>
  </IDOC>
</ORDERS05>`;

describe('SAP XML IDocs', () => {
  it.each(['blueseer_ORDERS05_flatfile.txt', 'blueseer_INVOIC02_flatfile.txt'])(
    '%s written as XML maps to the same canonical record',
    (name) => {
      const [flat] = parseFlatIdocs(fixture(name));
      const xml = idocToXml(flat);
      expect(xml).toContain(flat.type === 'ORDERS05' ? '<E1EDP01 SEGMENT="1">' : '<E1EDK01 SEGMENT="1">');
      const [fromXml] = parseXmlIdocs(xml);
      expect(toCanonical(fromXml)).toEqual(toCanonical(flat));
    },
  );

  it('reads an ORDERS05 with nested item segments and keeps a customer extension segment', () => {
    const [idoc] = parseXmlIdocs(ORDERS_XML);
    expect(idoc.control).toMatchObject({
      DOCNUM: '0000000000512345',
      IDOCTYP: 'ORDERS05',
      SNDPRN: '0000100042',
    });
    const ext = idoc.segments.find((s) => s.name === 'Z1KAPPA');
    expect(ext).toMatchObject({ known: false, path: 'IDOC[1]/Z1KAPPA[1]' });
    expect(ext?.raw).toContain('NRW-04');
    expect(toCanonical(idoc)).toEqual({
      type: 'order.upserted',
      payload: {
        externalId: '4500012345',
        customerExternalId: '0000100042',
        parties: [{ role: 'consignee', customerExternalId: '0000100077' }],
        orderedAt: '2026-11-20T08:12:00.000Z',
        requiredAt: '2026-11-27T00:00:00.000Z',
        currency: 'EUR',
        lines: [
          { sku: 'KF-1001', description: 'Tomato sauce 6x500g', quantity: 24, unitPrice: 12.5 },
          { sku: 'KF-2002', quantity: 10, unitPrice: 18 },
        ],
      },
    });
    // Through the connector: XML is recognised by its first character.
    const [record] = idocRecords(Buffer.from(ORDERS_XML), 'utf8');
    expect(record).toMatchObject({
      type: 'order.upserted',
      key: '4500012345',
      occurredAt: '2026-11-20T08:15:00.000Z',
    });
  });

  it('names the element path of what is wrong', () => {
    const err = (xml: string, fn = (x: string) => toCanonical(parseXmlIdocs(x)[0])) => {
      try {
        fn(xml);
      } catch (e) {
        return e as IdocError;
      }
      throw new Error('expected an error');
    };
    expect(err(ORDERS_XML.replace(/ORDERS05<\/IDOCTYP>/, 'ORDERS99</IDOCTYP>')).message).toMatch(
      /^IDOC\[1\]\/EDI_DC40\/IDOCTYP: unknown IDoc type "ORDERS99"/,
    );
    const qty = err(ORDERS_XML.replace('<MENGE>10.000</MENGE>', '<MENGE>ten</MENGE>'));
    expect(qty.message).toBe('IDOC[1]/E1EDP01[2]/MENGE: "ten" is not a number');
    expect(qty.where).toBe('IDOC[1]/E1EDP01[2]/MENGE');
    expect(err('<ORDERS05><IDOC>').message).toMatch(/^XML: not well-formed/);
    expect(err('<ORDERS05/>').message).toMatch(/no <IDOC> element/);
  });
});
