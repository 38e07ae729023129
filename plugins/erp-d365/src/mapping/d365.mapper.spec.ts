/**
 * Dynamics 365 F&O DMF XML over the captured sample (blueseer, see __fixtures__/SOURCES.md): one
 * sales order with a line becomes a canonical order, with nulls where D365 writes 1900-01-01 or an
 * empty element, validated against the contract; broken files name the entity and element.
 */
import { createEnvelope, validateEnvelope } from '@tradelane/contracts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { D365Error, d365ToOrders, readSalesOrders } from './d365.mapper';

const SAMPLE = fs.readFileSync(
  path.join(__dirname, '..', '__fixtures__', 'blueseer_D365_DMF_SalesOrderHeaderV2_ex1.xml'),
  'utf8',
);
const receivedAt = '2026-11-23T10:00:00.000Z';

describe('D365 DMF sales orders', () => {
  it('reads empty elements and 1900-01-01 dates as null', () => {
    const [{ header, lines }] = readSalesOrders(SAMPLE);
    expect(header.SALESORDERNUMBER).toBeNull(); // <SALESORDERNUMBER/>
    expect(header.FIXEDDUEDATE).toBeNull(); // 1900-01-01T00:00:00-05:00
    expect(header.PAYMENTTERMSBASEDATE).toBeNull();
    expect(header.ORDERINGCUSTOMERACCOUNTNUMBER).toBe('US-003');
    expect(header.TOTALDISCOUNTPERCENTAGE).toBe('0.000000'); // numbers stay text
    expect(lines).toHaveLength(1);
    expect(lines[0].SALESORDERNUMBER).toBeNull();
  });

  it('becomes a canonical order', () => {
    const [order] = d365ToOrders(SAMPLE, { receivedAt });
    expect(order).toEqual({
      externalId: expect.stringMatching(/^D365-[0-9a-f]{16}$/),
      customerExternalId: 'US-003',
      parties: [{ role: 'bill-to', customerExternalId: 'US-003' }],
      // No ORDERCREATIONDATETIME in the export: the document's own requested date, said so (not this year's file time).
      orderedAt: '2018-11-30T05:00:00.000Z',
      orderedAtBasis: 'requested-date',
      requiredAt: '2018-11-30T05:00:00.000Z', // 2018-11-30T00:00:00-05:00
      lines: [{ sku: 'D0001', description: 'Mid-Range Speaker', quantity: 1, unitPrice: 0 }],
    });
    // No due date, no payment base date: 1900-01-01 became nothing, not the year 1900.
    expect(JSON.stringify(order)).not.toContain('1900');
    expect(d365ToOrders(SAMPLE, { receivedAt })[0].externalId).toBe(order.externalId); // stable
    expect(() =>
      validateEnvelope(
        createEnvelope({
          type: 'erp.order.upserted.v1',
          source: 'erp-d365:test',
          key: 'k',
          payload: order,
        }) as never,
      ),
    ).not.toThrow();
  });

  it.each([
    ['not XML', '<Document><SalesOrderHeaderV2Entity>', /^Document: not well-formed XML/],
    ['another root', '<Orders/>', /^Document: no <Document> root element/],
    [
      'no orders',
      '<Document></Document>',
      /^Document: no sales order header entity \(SalesOrderHeaderV2Entity or another version, any case\)/,
    ],
    [
      'an entity it does not read',
      '<Document><VendVendorV2Entity><VENDORACCOUNTNUMBER>V1</VENDORACCOUNTNUMBER></VendVendorV2Entity></Document>',
      /^Document\/VendVendorV2Entity\[1\]: erp-d365 does not read this entity/,
    ],
    [
      'a nested entity it does not read',
      SAMPLE.replace(
        '<SalesOrderLineEntity>',
        '<SalesOrderHeaderChargeEntity><CHARGECODE>FRT</CHARGECODE></SalesOrderHeaderChargeEntity><SalesOrderLineEntity>',
      ),
      /^SalesOrderHeaderV2Entity\[1\]\/SalesOrderHeaderChargeEntity\[1\]: erp-d365 does not read this entity/,
    ],
    [
      'no customer',
      SAMPLE.replace(
        '<ORDERINGCUSTOMERACCOUNTNUMBER>US-003</ORDERINGCUSTOMERACCOUNTNUMBER>',
        '<ORDERINGCUSTOMERACCOUNTNUMBER/>',
      ),
      /^SalesOrderHeaderV2Entity\[1\]\/ORDERINGCUSTOMERACCOUNTNUMBER: the ordering customer is empty/,
    ],
    [
      'a bad quantity',
      SAMPLE.replace(
        '<ORDEREDSALESQUANTITY>1</ORDEREDSALESQUANTITY>',
        '<ORDEREDSALESQUANTITY>one</ORDEREDSALESQUANTITY>',
      ),
      /^SalesOrderHeaderV2Entity\[1\]\/SalesOrderLineEntity\[1\]\/ORDEREDSALESQUANTITY: "one" is not a number/,
    ],
    [
      'a bad date',
      SAMPLE.replace(
        '<REQUESTEDRECEIPTDATE>2018-11-30T00:00:00-05:00</REQUESTEDRECEIPTDATE>',
        '<REQUESTEDRECEIPTDATE>30/11/2018</REQUESTEDRECEIPTDATE>',
      ),
      /REQUESTEDRECEIPTDATE: "30\/11\/2018" is not a date/,
    ],
  ])('refuses %s, naming where', (_what, xml, message) => {
    expect(() => d365ToOrders(xml, { receivedAt })).toThrow(D365Error);
    expect(() => d365ToOrders(xml, { receivedAt })).toThrow(message);
  });

  it('reads an export from another tool: upper-case entity names, V2 lines, lower-case columns, lines beside the headers', () => {
    const upper = SAMPLE.replace(/<(\/?)SalesOrderHeaderV2Entity>/g, '<$1SALESORDERHEADERV2ENTITY>')
      .replace(/<(\/?)SalesOrderLineEntity>/g, '<$1SALESORDERLINEV2ENTITY>')
      .replace(/<(\/?)ITEMNUMBER>/g, '<$1ItemNumber>')
      .replace(/<(\/?)Document>/g, '<$1DOCUMENT>');
    const [order] = d365ToOrders(upper, { receivedAt });
    const [original] = d365ToOrders(SAMPLE, { receivedAt });
    expect(order).toEqual(original); // same order, same stable id
    expect(order.lines).toHaveLength(1);
    // A broken line names the element as the file wrote it.
    expect(() =>
      d365ToOrders(
        upper.replace(
          '<ORDEREDSALESQUANTITY>1</ORDEREDSALESQUANTITY>',
          '<ORDEREDSALESQUANTITY>x</ORDEREDSALESQUANTITY>',
        ),
        {
          receivedAt,
        },
      ),
    ).toThrow(
      /^SALESORDERHEADERV2ENTITY\[1\]\/SALESORDERLINEV2ENTITY\[1\]\/ORDEREDSALESQUANTITY: "x" is not a number/,
    );

    // Header and lines exported as two entities side by side, joined by the order number.
    const beside = `<Document>
      <SalesOrderHeaderV3Entity><SALESORDERNUMBER>SO-7</SALESORDERNUMBER><ORDERINGCUSTOMERACCOUNTNUMBER>US-003</ORDERINGCUSTOMERACCOUNTNUMBER>
        <ORDERCREATIONDATETIME>2018-11-02T09:30:00Z</ORDERCREATIONDATETIME></SalesOrderHeaderV3Entity>
      <SalesOrderLineV2Entity><SALESORDERNUMBER>SO-7</SALESORDERNUMBER><ITEMNUMBER>A</ITEMNUMBER><ORDEREDSALESQUANTITY>2</ORDEREDSALESQUANTITY><SALESPRICE>5</SALESPRICE></SalesOrderLineV2Entity>
      <SalesOrderLineV2Entity><SALESORDERNUMBER>SO-7</SALESORDERNUMBER><ITEMNUMBER>B</ITEMNUMBER><ORDEREDSALESQUANTITY>1</ORDEREDSALESQUANTITY><SALESPRICE>3</SALESPRICE></SalesOrderLineV2Entity>
    </Document>`;
    const [so7] = d365ToOrders(beside, { receivedAt });
    expect(so7).toMatchObject({ externalId: 'SO-7', orderedAt: '2018-11-02T09:30:00.000Z' });
    expect(so7.orderedAtBasis).toBeUndefined(); // its own order date
    expect(so7.lines!.map((l) => l.sku)).toEqual(['A', 'B']);
    expect(() =>
      d365ToOrders(
        beside.replace(/SO-7<\/SALESORDERNUMBER><ITEMNUMBER>B/, 'SO-8</SALESORDERNUMBER><ITEMNUMBER>B'),
        { receivedAt },
      ),
    ).toThrow(
      /^SalesOrderLineV2Entity\[2\]\/SALESORDERNUMBER: line of order "SO-8", which is not among the file's sales order headers/,
    );
  });

  it('says in the record when the document has no date at all', () => {
    const undated = SAMPLE.replace(
      /<REQUESTED(RECEIPT|SHIPPING)DATE>[^<]*<\/REQUESTED(RECEIPT|SHIPPING)DATE>/g,
      '',
    );
    const [order] = d365ToOrders(undated, { receivedAt });
    expect(order).toMatchObject({ orderedAt: receivedAt, orderedAtBasis: 'received' });
  });
});
