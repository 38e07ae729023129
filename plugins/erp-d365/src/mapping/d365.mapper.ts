import { CustomerUpsertedV1, OrderLineV1, OrderUpsertedV1, PartyRefV1 } from '@tradelane/contracts';
import { XMLParser } from 'fast-xml-parser';
import { createHash } from 'node:crypto';

/** Why a D365 DMF file cannot be read, naming the entity (1-based) and element. */
export class D365Error extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'D365Error';
  }
}

/** An entity's columns as D365 exported them, normalised: empty elements and 1900-01-01 dates are null. */
export type D365Record = Record<string, string | null>;

const ENTITIES = ['SalesOrderHeaderV2Entity', 'SalesOrderLineEntity', 'CustCustomerV3Entity'];
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // numbers stay text: "0.000000", account numbers with leading zeros
  trimValues: true,
  isArray: (name) => ENTITIES.includes(name),
});

/** D365 writes "no date" as 1900-01-01 (in the exporting user's zone) and "no value" as an empty element. */
export function d365Value(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') return null; // a nested element (child entity) is not a column
  if (/^1900-01-01(T|$)/.test(v)) return null;
  return v;
}

function columns(entity: Record<string, unknown>): D365Record {
  const out: D365Record = {};
  for (const [k, v] of Object.entries(entity)) if (!ENTITIES.includes(k)) out[k] = d365Value(v);
  return out;
}

function date(r: D365Record, field: string, where: string): string | undefined {
  const v = r[field];
  if (v === null || v === undefined) return undefined;
  const t = new Date(v);
  if (Number.isNaN(t.getTime())) throw new D365Error(`${where}/${field}`, `"${v}" is not a date`);
  return t.toISOString();
}

function number(r: D365Record, field: string, where: string): number | undefined {
  const v = r[field];
  if (v === null || v === undefined) return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(v)) throw new D365Error(`${where}/${field}`, `"${v}" is not a number`);
  return Number(v);
}

export interface D365SalesOrder {
  header: D365Record;
  lines: D365Record[];
}

function documentOf(xml: string): Record<string, unknown> {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (e) {
    throw new D365Error('Document', `not well-formed XML: ${(e as Error).message}`);
  }
  if (!('Document' in doc)) throw new D365Error('Document', 'no <Document> root element');
  return (typeof doc.Document === 'object' && doc.Document ? doc.Document : {}) as Record<string, unknown>;
}

/** Reads a DMF XML export's sales orders (`<Document><SalesOrderHeaderV2Entity>...`) into normalised records. */
export function readSalesOrders(xml: string, required = true): D365SalesOrder[] {
  const headers = (documentOf(xml).SalesOrderHeaderV2Entity as Record<string, unknown>[] | undefined) ?? [];
  if (!headers.length && required)
    throw new D365Error('Document', 'no <SalesOrderHeaderV2Entity> in the file');
  return headers.map((h) => ({
    header: columns(h),
    lines: ((h.SalesOrderLineEntity as Record<string, unknown>[] | undefined) ?? []).map(columns),
  }));
}

/**
 * Canonical orders from a DMF export. D365 leaves SALESORDERNUMBER empty when the file is meant for
 * import (the number is assigned there): the order then gets a stable id from its content
 * (`D365-<sha256 prefix>`), so the same file sent twice is the same order. The order date is
 * ORDERCREATIONDATETIME, or when the file was received.
 */
export function d365ToOrders(xml: string, o: { receivedAt: string; required?: boolean }): OrderUpsertedV1[] {
  return readSalesOrders(xml, o.required ?? true).map(({ header, lines }, i) => {
    const where = `SalesOrderHeaderV2Entity[${i + 1}]`;
    const customer = header.ORDERINGCUSTOMERACCOUNTNUMBER;
    if (!customer)
      throw new D365Error(`${where}/ORDERINGCUSTOMERACCOUNTNUMBER`, 'the ordering customer is empty');
    const externalId =
      header.SALESORDERNUMBER ??
      `D365-${createHash('sha256').update(JSON.stringify({ header, lines })).digest('hex').slice(0, 16)}`;
    const parties: PartyRefV1[] = header.INVOICECUSTOMERACCOUNTNUMBER
      ? [{ role: 'bill-to', customerExternalId: header.INVOICECUSTOMERACCOUNTNUMBER }]
      : [];
    const orderLines: OrderLineV1[] = lines.map((l, j) => {
      const at = `${where}/SalesOrderLineEntity[${j + 1}]`;
      if (!l.ITEMNUMBER) throw new D365Error(`${at}/ITEMNUMBER`, 'the line has no item number');
      const quantity = number(l, 'ORDEREDSALESQUANTITY', at);
      if (quantity === undefined)
        throw new D365Error(`${at}/ORDEREDSALESQUANTITY`, 'the line has no quantity');
      const discount = number(l, 'LINEDISCOUNTPERCENTAGE', at);
      return {
        sku: l.ITEMNUMBER,
        ...(l.LINEDESCRIPTION ? { description: l.LINEDESCRIPTION } : {}),
        quantity,
        unitPrice: (number(l, 'SALESPRICE', at) ?? 0) / (number(l, 'SALESPRICEQUANTITY', at) || 1),
        ...(discount ? { discount: discount / 100 } : {}),
      };
    });
    const requiredAt = date(header, 'REQUESTEDRECEIPTDATE', where);
    return {
      externalId,
      customerExternalId: customer,
      parties,
      orderedAt: date(header, 'ORDERCREATIONDATETIME', where) ?? o.receivedAt,
      ...(requiredAt ? { requiredAt } : {}),
      ...(header.CURRENCYCODE ? { currency: header.CURRENCYCODE } : {}),
      lines: orderLines,
    };
  });
}

/**
 * Customers from a DMF export of CustCustomerV3Entity: CUSTOMERACCOUNT as the id; the organisation
 * name (or the person's names); TAXEXEMPTNUMBER (D365's VAT registration field) as the VAT id when it
 * looks like one (other tax numbers are left out: they are no match key); primary contact e-mail and phone; the primary
 * address (country as D365's ISO-3 region id).
 */
export function d365ToCustomers(xml: string): CustomerUpsertedV1[] {
  const entities = (documentOf(xml).CustCustomerV3Entity as Record<string, unknown>[] | undefined) ?? [];
  return entities.map(columns).map((c, i) => {
    const where = `CustCustomerV3Entity[${i + 1}]`;
    if (!c.CUSTOMERACCOUNT) throw new D365Error(`${where}/CUSTOMERACCOUNT`, 'the customer account is empty');
    const person = [c.PERSONFIRSTNAME, c.PERSONLASTNAME].filter(Boolean).join(' ');
    const name = c.ORGANIZATIONNAME ?? (person || c.NAMEALIAS);
    if (!name) throw new D365Error(`${where}/ORGANIZATIONNAME`, 'the customer has no name');
    const tax = c.TAXEXEMPTNUMBER?.replace(/[\s.-]/g, '').toUpperCase();
    const isVat = !!tax && /^[A-Z]{2}[0-9A-Z+*.]{2,13}$/.test(tax);
    return {
      externalId: c.CUSTOMERACCOUNT,
      name,
      ...(isVat ? { vatId: tax } : {}),
      ...(c.PRIMARYCONTACTEMAIL ? { email: c.PRIMARYCONTACTEMAIL } : {}),
      ...(c.PRIMARYCONTACTPHONE ? { phone: c.PRIMARYCONTACTPHONE } : {}),
      ...(c.ADDRESSSTREET ? { street: c.ADDRESSSTREET } : {}),
      ...(c.ADDRESSCITY ? { city: c.ADDRESSCITY } : {}),
      ...(c.ADDRESSZIPCODE ? { postalCode: c.ADDRESSZIPCODE } : {}),
      ...(c.ADDRESSCOUNTRYREGIONID ? { country: c.ADDRESSCOUNTRYREGIONID } : {}),
    };
  });
}
