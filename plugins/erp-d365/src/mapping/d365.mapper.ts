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

/**
 * The entities this mapper reads, every version D365 ships (SalesOrderHeaderEntity, ...V2Entity,
 * ...V3Entity with the lines of the same family), matched case-insensitively: DMF files written by
 * third-party maps use `<SALESORDERHEADERV2ENTITY>`. Columns are matched case-insensitively too
 * (read as upper case, as D365 writes them). Any other `...Entity` element is reported, not skipped.
 */
type Family = 'SalesOrderHeader' | 'SalesOrderLine' | 'CustCustomer';
const FAMILIES: [RegExp, Family][] = [
  [/^salesorderheader(v\d+)?entity$/i, 'SalesOrderHeader'],
  [/^salesorderline(v\d+)?entity$/i, 'SalesOrderLine'],
  [/^custcustomer(v\d+)?entity$/i, 'CustCustomer'],
];
const LOOKS_LIKE_ENTITY = /entity$/i;
const familyOf = (name: string): Family | undefined => FAMILIES.find(([re]) => re.test(name))?.[1];

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // numbers stay text: "0.000000", account numbers with leading zeros
  trimValues: true,
  isArray: (name) => LOOKS_LIKE_ENTITY.test(name),
});

/** The entities of one family among an element's children, each with the element name the file used. */
interface Entities {
  name: string;
  items: Record<string, unknown>[];
}

function entitiesOf(parent: Record<string, unknown>, family: Family): Entities {
  const out: Entities = { name: '', items: [] };
  for (const [k, v] of Object.entries(parent))
    if (familyOf(k) === family) {
      out.name ||= k;
      out.items.push(...(v as Record<string, unknown>[]));
    }
  return out;
}

/** D365 writes "no date" as 1900-01-01 (in the exporting user's zone) and "no value" as an empty element. */
export function d365Value(v: unknown): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') return null; // a nested element (child entity) is not a column
  if (/^1900-01-01(T|$)/.test(v)) return null;
  return v;
}

/** An entity's columns (upper case); a nested entity is skipped when `nested` reads it, reported otherwise. */
function columns(entity: Record<string, unknown>, where: string, nested?: Family): D365Record {
  const out: D365Record = {};
  for (const [k, v] of Object.entries(entity)) {
    if (LOOKS_LIKE_ENTITY.test(k) && Array.isArray(v)) {
      if (nested && familyOf(k) === nested) continue;
      throw unknownEntity(`${where}/${k}[1]`);
    }
    out[k.toUpperCase()] = d365Value(v);
  }
  return out;
}

function unknownEntity(path: string): D365Error {
  return new D365Error(
    path,
    'erp-d365 does not read this entity (it reads SalesOrderHeader*Entity with SalesOrderLine*Entity lines, and CustCustomer*Entity): export those, or ask for this one to be mapped',
  );
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
  /** Where it is in the file, as the file names it (`SALESORDERHEADERV2ENTITY[2]`). */
  where: string;
  header: D365Record;
  lines: D365Record[];
  lineWhere(index: number): string;
}

function documentOf(xml: string): Record<string, unknown> {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (e) {
    throw new D365Error('Document', `not well-formed XML: ${(e as Error).message}`);
  }
  const rootName = Object.keys(doc).find((k) => /^document$/i.test(k));
  if (!rootName) throw new D365Error('Document', 'no <Document> root element');
  const root = (typeof doc[rootName] === 'object' && doc[rootName] ? doc[rootName] : {}) as Record<
    string,
    unknown
  >;
  const unknown = Object.keys(root).find((k) => !familyOf(k));
  if (unknown) throw unknownEntity(`Document/${unknown}[1]`);
  return root;
}

/** Reads a DMF XML export's sales orders (`<Document><SalesOrderHeaderV2Entity>...`) into normalised records. */
export function readSalesOrders(xml: string, required = true): D365SalesOrder[] {
  const doc = documentOf(xml);
  const headers = entitiesOf(doc, 'SalesOrderHeader');
  if (!headers.items.length && required)
    throw new D365Error(
      'Document',
      `no sales order header entity (SalesOrderHeaderV2Entity or another version, any case) in the file${Object.keys(doc).length ? `; it holds ${Object.keys(doc).join(', ')}` : ''}`,
    );
  const orders = headers.items.map((h, i) => {
    const where = `${headers.name}[${i + 1}]`;
    const lines = entitiesOf(h, 'SalesOrderLine');
    const wheres = lines.items.map((_, j) => `${where}/${lines.name}[${j + 1}]`);
    return {
      where,
      header: columns(h, where, 'SalesOrderLine'),
      lines: lines.items.map((l, j) => columns(l, wheres[j])),
      lineWhere: (j: number) => wheres[j],
      wheres,
    };
  });
  // Lines exported as their own entity beside the headers: joined to their order by SALESORDERNUMBER.
  const loose = entitiesOf(doc, 'SalesOrderLine');
  loose.items.forEach((l, j) => {
    const where = `${loose.name}[${j + 1}]`;
    const line = columns(l, where);
    const order = orders.find(
      (o) => o.header.SALESORDERNUMBER && o.header.SALESORDERNUMBER === line.SALESORDERNUMBER,
    );
    if (!order)
      throw new D365Error(
        `${where}/SALESORDERNUMBER`,
        line.SALESORDERNUMBER
          ? `line of order "${line.SALESORDERNUMBER}", which is not among the file's sales order headers`
          : 'a line exported beside the headers must name its order',
      );
    order.lines.push(line);
    order.wheres.push(where);
  });
  return orders.map(({ wheres: _, ...o }) => o);
}

/**
 * Canonical orders from a DMF export. D365 leaves SALESORDERNUMBER empty when the file is meant for
 * import (the number is assigned there): the order then gets a stable id from its content
 * (`D365-<sha256 prefix>`), so the same file sent twice is the same order. The order date is
 * ORDERCREATIONDATETIME, else the earlier requested date (`orderedAtBasis: requested-date`), else
 * when the file was received (`orderedAtBasis: received`).
 */
export function d365ToOrders(xml: string, o: { receivedAt: string; required?: boolean }): OrderUpsertedV1[] {
  return readSalesOrders(xml, o.required ?? true).map(({ where, header, lines, lineWhere }) => {
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
      const at = lineWhere(j);
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
    // The document's own dates: its creation time, else a requested date (earlier of shipping and
    // receipt) standing in, said so in the record; the receipt time only when it has no date at all.
    const created = date(header, 'ORDERCREATIONDATETIME', where);
    const requested = [date(header, 'REQUESTEDSHIPPINGDATE', where), requiredAt]
      .filter((d): d is string => !!d)
      .sort()[0];
    return {
      externalId,
      customerExternalId: customer,
      parties,
      orderedAt: created ?? requested ?? o.receivedAt,
      ...(created ? {} : { orderedAtBasis: requested ? ('requested-date' as const) : ('received' as const) }),
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
  const entities = entitiesOf(documentOf(xml), 'CustCustomer');
  return entities.items.map((e, i) => {
    const where = `${entities.name}[${i + 1}]`;
    const c = columns(e, where);
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
