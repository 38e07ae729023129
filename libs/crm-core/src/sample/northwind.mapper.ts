import {
  ContractMap,
  createEnvelope,
  CustomerUpsertedV1,
  DeliveryStatusChangedV1,
  Envelope,
  InteractionRecordedV1,
  InvoiceUpsertedV1,
  MessageType,
  OrderLineV1,
  OrderUpsertedV1,
} from '@tradelane/contracts';
import { parse } from 'csv-parse/sync';
import { orderTotal } from '../order/order-total.util';

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

const DAY = 86_400_000;
/** Transit time by Northwind shipper, for the derived delivery date (the export has only ShippedDate). */
const TRANSIT_DAYS: Record<string, number> = { '1': 1, '2': 2, '3': 3 };

export interface NorthwindOptions {
  source?: string;
  tenant?: string;
  /**
   * The day the sample is loaded. Every date is moved by a whole number of weeks (weekdays and
   * business hours stay as they were) so that the newest order falls 3 to 9 days before it, and the
   * now-based views (lifecycle, churn, KPIs, SLA clocks, overdue invoices) have something to show.
   * Omitted: the dates stay as in the export (1996-1998) and the data set "is as of" 3 days after
   * its newest order.
   */
  loadedAt?: Date;
}

/** Whole weeks added to every date: deterministic for a given load day. */
export function sampleShiftDays(newestOrder: Date, loadedAt: Date): number {
  const day = Math.floor(loadedAt.getTime() / DAY) * DAY;
  return Math.floor((day - 3 * DAY - newestOrder.getTime()) / (7 * DAY)) * 7;
}

/**
 * Maps the Northwind sample (an ERP export) to canonical inbound events, customers first:
 * - one `erp.customer.upserted.v1` per customer;
 * - one `erp.order.upserted.v1` per order with its lines and carrier (shipVia through shippers);
 * - per shipped order a delivery (`SHP-<order>`): picked up at ShippedDate, delivered after the
 *   carrier's transit days (1-3), promised for RequiredDate (a day-only promise): late when shipped
 *   late; an unshipped order's delivery is PLANNED;
 * - per shipped order an invoice (`INV-<order>`): order total plus freight, issued when shipped, due
 *   30 days later; paid when due more than three weeks ago, or due already and the order number is
 *   even; otherwise open (some overdue);
 * - an order confirmation e-mail per order, and two events a day before loading: ALFKI's latest
 *   delivery reported damaged and another shipment lost (each opens a case with running SLA clocks).
 * Nothing here is a result: KPIs, stages, churn, cases are computed by the product from these events.
 */
export function northwindToEnvelopes(files: NorthwindFiles, options: NorthwindOptions = {}): Envelope[] {
  const source = options.source ?? 'erp-sample:northwind';
  const tenant = options.tenant ?? 'default';
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
  const orderRows = rows(files.orders, 'shipAddress');
  const newest = new Date(Math.max(...orderRows.map((o) => Date.parse(date(o.orderDate) as string))));
  const shiftMs = options.loadedAt ? sampleShiftDays(newest, options.loadedAt) * DAY : 0;
  const asOf = options.loadedAt
    ? Math.floor(options.loadedAt.getTime() / DAY) * DAY
    : newest.getTime() + 3 * DAY;
  const at = (v: string | undefined): string | undefined => {
    const d = date(v);
    return d === undefined ? undefined : new Date(Date.parse(d) + shiftMs).toISOString();
  };
  const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
  const env = <T extends MessageType>(type: T, key: string, occurredAt: string, payload: ContractMap[T]) =>
    createEnvelope({ type, source, tenant, key, occurredAt, payload });

  const customers = rows(files.customers, 'address').map((c) =>
    env('erp.customer.upserted.v1', c.customerID, at('1996-07-01 00:00:00.000') as string, {
      externalId: c.customerID,
      name: c.companyName,
      phone: value(c.phone),
      street: value(c.address),
      city: value(c.city),
      postalCode: value(c.postalCode),
      country: value(c.country),
    } satisfies CustomerUpsertedV1),
  );
  const orders: Envelope[] = [];
  const deliveries: Envelope[] = [];
  const invoices: Envelope[] = [];
  const interactions: Envelope[] = [];
  const latestDelivery = new Map<string, { id: string; deliveredAt: string }>();
  for (const o of orderRows) {
    const orderedAt = at(o.orderDate) as string;
    const shippedAt = at(o.shippedDate);
    const requiredAt = at(o.requiredDate);
    const freight = value(o.freight) === undefined ? undefined : Number(o.freight);
    const orderLines = lines.get(o.orderID) ?? [];
    orders.push(
      env('erp.order.upserted.v1', o.orderID, shippedAt ?? orderedAt, {
        externalId: o.orderID,
        customerExternalId: o.customerID,
        orderedAt,
        requiredAt,
        shippedAt,
        carrier: carriers.get(o.shipVia),
        freight,
        lines: orderLines,
      } satisfies OrderUpsertedV1),
    );
    interactions.push(
      env('erp.interaction.recorded.v1', `MAIL-${o.orderID}`, plus(orderedAt, 9 * 3_600_000), {
        externalId: `MAIL-${o.orderID}`,
        customerExternalId: o.customerID,
        channel: 'email',
        direction: 'outbound',
        subject: `Order confirmation ${o.orderID}`,
        summary: `${orderLines.length} line(s), ship to ${value(o.shipCity) ?? '?'} (${value(o.shipCountry) ?? '?'})`,
        relatedRef: o.orderID,
      } satisfies InteractionRecordedV1),
    );
    const shipment = `SHP-${o.orderID}`;
    // RequiredDate is a day, not a time: a day-only promise (delivered any time that day is on time).
    const promisedDate = requiredAt?.slice(0, 10);
    const base = { externalId: shipment, orderExternalId: o.orderID, promisedDate, trackingRefs: [shipment] };
    if (!shippedAt) {
      deliveries.push(
        env('erp.delivery.status-changed.v1', shipment, orderedAt, {
          ...base,
          status: 'PLANNED',
        } satisfies DeliveryStatusChangedV1),
      );
      continue;
    }
    const deliveredAt = plus(shippedAt, (TRANSIT_DAYS[o.shipVia] ?? 2) * DAY + 11 * 3_600_000);
    deliveries.push(
      env('erp.delivery.status-changed.v1', shipment, plus(shippedAt, 8 * 3_600_000), {
        ...base,
        status: 'PICKED_UP',
      } satisfies DeliveryStatusChangedV1),
    );
    if (Date.parse(deliveredAt) < asOf) {
      deliveries.push(
        env('erp.delivery.status-changed.v1', shipment, deliveredAt, {
          ...base,
          status: 'DELIVERED',
          location: value(o.shipCity),
        } satisfies DeliveryStatusChangedV1),
      );
      const prev = latestDelivery.get(o.customerID);
      if (!prev || prev.deliveredAt < deliveredAt)
        latestDelivery.set(o.customerID, { id: shipment, deliveredAt });
    }
    const total = Number(orderTotal(orderLines) ?? 0) + (freight ?? 0);
    const dueAt = plus(shippedAt, 30 * DAY);
    const due = Date.parse(dueAt);
    const paid = due < asOf - 21 * DAY || (due < asOf && Number(o.orderID) % 2 === 0);
    const amount = Math.round(total * 100) / 100;
    invoices.push(
      env('erp.invoice.upserted.v1', `INV-${o.orderID}`, paid ? plus(dueAt, -2 * DAY) : shippedAt, {
        externalId: `INV-${o.orderID}`,
        customerExternalId: o.customerID,
        orderExternalId: o.orderID,
        issuedAt: shippedAt,
        dueAt,
        currency: 'EUR',
        totalAmount: amount,
        paidAmount: paid ? amount : 0,
        status: paid ? 'PAID' : 'OPEN',
      } satisfies InvoiceUpsertedV1),
    );
  }
  // Two recent shipment problems, reported the day before loading: each opens a case.
  const reported = new Date(asOf - 14 * 3_600_000).toISOString();
  const problems: { customer: string; exceptionType: 'DAMAGE' | 'LOSS'; note: string }[] = [
    { customer: 'ALFKI', exceptionType: 'DAMAGE', note: 'Consignee reports 2 cartons crushed on arrival' },
    { customer: 'FOLKO', exceptionType: 'LOSS', note: 'Carrier cannot locate one of the pallets' },
  ];
  for (const p of problems) {
    const d = latestDelivery.get(p.customer);
    if (!d) continue;
    deliveries.push(
      env('erp.delivery.status-changed.v1', d.id, reported, {
        externalId: d.id,
        orderExternalId: d.id.slice('SHP-'.length),
        status: 'EXCEPTION',
        exceptionType: p.exceptionType,
        note: p.note,
      } satisfies DeliveryStatusChangedV1),
    );
    interactions.push(
      env('erp.interaction.recorded.v1', `CALL-${d.id}`, reported, {
        externalId: `CALL-${d.id}`,
        customerExternalId: p.customer,
        channel: 'call',
        direction: 'inbound',
        subject: `${p.exceptionType === 'DAMAGE' ? 'Damaged goods' : 'Missing pallet'} on ${d.id}`,
        summary: p.note,
        relatedRef: d.id,
      } satisfies InteractionRecordedV1),
    );
  }
  return [...customers, ...orders, ...deliveries, ...invoices, ...interactions];
}
