import {
  createEnvelope,
  CustomerUpsertedV1,
  Envelope,
  OrderLineV1,
  OrderUpsertedV1,
} from '@tradelane/contracts';
import { parse } from 'csv-parse/sync';

export interface NorthwindFiles {
  customers: string;
  orders: string;
  orderDetails: string;
  shippers: string;
}

type Row = Record<string, string>;

/** Northwind writes missing values as the string NULL and dates without a zone (read as UTC). */
function value(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === 'NULL' ? undefined : v;
}

function date(v: string | undefined): string | undefined {
  const s = value(v);
  if (!s) return undefined;
  const iso = `${s.replace(' ', 'T').replace(/\.\d+$/, '')}Z`;
  if (Number.isNaN(Date.parse(iso))) throw new Error(`not a date: "${s}"`);
  return new Date(iso).toISOString();
}

/**
 * Parses a Northwind CSV. The export does not quote fields, so an address like "24, place Kléber"
 * splits into two fields: a row with surplus fields gets them merged back into `freeText` (the one
 * column that holds commas), and a row that cannot be repaired that way is an error naming it.
 */
export function rows(csv: string, freeText?: string): Row[] {
  const [header, ...records] = parse(csv, {
    skip_empty_lines: true,
    bom: true,
    relax_column_count: true,
  }) as string[][];
  const at = freeText ? header.indexOf(freeText) : -1;
  return records.map((fields, i) => {
    const surplus = fields.length - header.length;
    if (surplus > 0 && at >= 0)
      fields = [
        ...fields.slice(0, at),
        fields.slice(at, at + surplus + 1).join(','),
        ...fields.slice(at + surplus + 1),
      ];
    if (fields.length !== header.length)
      throw new Error(`line ${i + 2}: ${fields.length} fields where the header has ${header.length}`);
    return Object.fromEntries(header.map((h, j) => [h, fields[j]]));
  });
}

/**
 * Maps the Northwind sample (an ERP export) to canonical inbound events: one
 * `erp.customer.upserted.v1` per customer, one `erp.order.upserted.v1` per order with its lines
 * and its carrier (shipVia resolved through shippers). Customers come first.
 */
export function northwindToEnvelopes(
  files: NorthwindFiles,
  source = 'erp-sample:northwind',
  tenant = 'default',
): Envelope[] {
  const carriers = new Map(rows(files.shippers).map((s) => [s.shipperID, s.companyName]));
  const lines = new Map<string, OrderLineV1[]>();
  for (const d of rows(files.orderDetails)) {
    const list = lines.get(d.orderID) ?? [];
    list.push({
      sku: d.productID,
      quantity: Number(d.quantity),
      unitPrice: Number(d.unitPrice),
      discount: Number(d.discount),
    });
    lines.set(d.orderID, list);
  }
  const customers = rows(files.customers, 'address').map((c) => {
    const payload: CustomerUpsertedV1 = {
      externalId: c.customerID,
      name: c.companyName,
      phone: value(c.phone),
      street: value(c.address),
      city: value(c.city),
      postalCode: value(c.postalCode),
      country: value(c.country),
    };
    return createEnvelope({
      type: 'erp.customer.upserted.v1',
      source,
      tenant,
      key: c.customerID,
      payload,
      occurredAt: '1996-07-01T00:00:00.000Z',
    });
  });
  const orders = rows(files.orders, 'shipAddress').map((o) => {
    const orderedAt = date(o.orderDate) as string;
    const shippedAt = date(o.shippedDate);
    const payload: OrderUpsertedV1 = {
      externalId: o.orderID,
      customerExternalId: o.customerID,
      orderedAt,
      requiredAt: date(o.requiredDate),
      shippedAt,
      carrier: carriers.get(o.shipVia),
      freight: value(o.freight) === undefined ? undefined : Number(o.freight),
      lines: lines.get(o.orderID) ?? [],
    };
    return createEnvelope({
      type: 'erp.order.upserted.v1',
      source,
      tenant,
      key: o.orderID,
      payload,
      occurredAt: shippedAt ?? orderedAt,
    });
  });
  return [...customers, ...orders];
}
