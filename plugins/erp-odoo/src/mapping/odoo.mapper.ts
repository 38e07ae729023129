import { CanonicalPayload, CanonicalRecord, ConnectorError } from '@tradelane/connector-sdk';
import type { DeliveryStatus } from '@tradelane/contracts';

/** What Odoo returns for a record: `false` for an empty field, `[id, "display name"]` for a many2one. */
export type OdooRecord = Record<string, unknown> & { id: number; write_date: string };

export const STREAMS = {
  partners: { model: 'res.partner', type: 'customer.upserted' },
  orders: { model: 'sale.order', type: 'order.upserted' },
  invoices: { model: 'account.move', type: 'invoice.upserted' },
  pickings: { model: 'stock.picking', type: 'delivery.status-changed' },
} as const;
export type StreamName = keyof typeof STREAMS;
export const isStream = (s: string): s is StreamName => s in STREAMS;

/** Fields read per stream and Odoo major version (18 dropped res.partner.mobile). */
export function fieldsOf(stream: StreamName, major: number): string[] {
  switch (stream) {
    case 'partners':
      return [
        'id',
        'write_date',
        'name',
        'is_company',
        'vat',
        'email',
        'phone',
        ...(major < 18 ? ['mobile'] : []),
        'street',
        'city',
        'zip',
        'country_code',
        'ref',
        'active',
      ];
    case 'orders':
      return [
        'id',
        'write_date',
        'name',
        'partner_id',
        'partner_invoice_id',
        'partner_shipping_id',
        'state',
        'date_order',
        'commitment_date',
        'currency_id',
        'amount_total',
        'order_line',
      ];
    case 'invoices':
      return [
        'id',
        'write_date',
        'name',
        'partner_id',
        'invoice_origin',
        'invoice_date',
        'invoice_date_due',
        'currency_id',
        'amount_total',
        'amount_residual',
        'state',
        'payment_state',
      ];
    case 'pickings':
      return [
        'id',
        'write_date',
        'name',
        'partner_id',
        'origin',
        'state',
        'scheduled_date',
        'date_deadline',
        'date_done',
        'carrier_tracking_ref',
      ];
  }
}

/** Which records of the model a stream takes. */
export const STREAM_DOMAIN: Record<StreamName, unknown[]> = {
  partners: [['parent_id', '=', false]],
  orders: [['state', 'in', ['sale', 'done', 'cancel']]],
  invoices: [
    ['move_type', '=', 'out_invoice'],
    ['state', '!=', 'draft'],
  ],
  pickings: [['picking_type_code', '=', 'outgoing']],
};

/** A company's contact persons (child partners), read with the page of companies. */
export const CONTACT_FIELDS = ['id', 'parent_id', 'name', 'email', 'phone', 'function'];

export const LINE_FIELDS = [
  'id',
  'order_id',
  'display_type',
  'product_id',
  'name',
  'product_uom_qty',
  'price_unit',
  'discount',
  'qty_delivered',
];

const bad = (at: string, reason: string) =>
  new ConnectorError('permanent', `${at}: ${reason}`, { field: at });
const text = (v: unknown): string | undefined =>
  v === false || v === null || v === undefined || v === '' ? undefined : String(v);
/** The first value that is not empty in Odoo's sense (`false`, null, '' are empty): `??` would keep `false`. */
const firstSet = (...vs: unknown[]): unknown => vs.find((v) => text(v) !== undefined);
const m2oId = (v: unknown): string | undefined => (Array.isArray(v) ? String(v[0]) : undefined);
const m2oName = (v: unknown): string | undefined => (Array.isArray(v) ? String(v[1]) : undefined);

/** Odoo datetimes are UTC without a zone (`2026-11-02 09:15:00`); dates are `2026-11-02`. */
export function odooTime(v: unknown, at: string): string | undefined {
  const s = text(v);
  if (!s) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?/.exec(s);
  const iso = m && `${m[1]}T${m[2] ?? '00:00:00'}.000Z`;
  if (!iso || Number.isNaN(Date.parse(iso))) throw bad(at, `"${s}" is not an Odoo date`);
  return iso;
}

function number(v: unknown, at: string): number | undefined {
  if (v === false || v === null || v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(at, `${JSON.stringify(v)} is not a number`);
  return v;
}

function base<S extends StreamName>(
  r: OdooRecord,
  stream: S,
  at: string,
  key: string,
  payload: CanonicalPayload<(typeof STREAMS)[S]['type']>,
): CanonicalRecord<(typeof STREAMS)[S]['type']> {
  const occurredAt = odooTime(r.write_date, `${at}.write_date`);
  if (!occurredAt) throw bad(`${at}.write_date`, 'missing');
  return { type: STREAMS[stream].type, key, occurredAt, payload } as CanonicalRecord<
    (typeof STREAMS)[S]['type']
  >;
}

function contactOf(c: OdooRecord) {
  const name = text(c.name);
  if (!name) return [];
  return [
    {
      name,
      ...(text(c.email) ? { email: text(c.email) } : {}),
      ...(text(c.phone) ? { phone: text(c.phone) } : {}),
      ...(text(c.function) ? { role: text(c.function) } : {}),
    },
  ];
}

function partner(r: OdooRecord, at: string, contacts: OdooRecord[] = []): CanonicalRecord {
  const name = text(r.name);
  if (!name) throw bad(`${at}.name`, 'missing');
  // As Odoo holds it (any country's format); the CRM normalises it for matching, not here.
  const vat = text(r.vat)?.trim();
  return base(r, 'partners', at, String(r.id), {
    externalId: String(r.id),
    name,
    ...(vat ? { vatId: vat } : {}),
    ...(text(r.email) ? { email: text(r.email) } : {}),
    ...((text(r.phone) ?? text(r.mobile)) ? { phone: text(r.phone) ?? text(r.mobile) } : {}),
    ...(text(r.street) ? { street: text(r.street) } : {}),
    ...(text(r.city) ? { city: text(r.city) } : {}),
    ...(text(r.zip) ? { postalCode: text(r.zip) } : {}),
    ...(text(r.country_code) ? { country: text(r.country_code) } : {}),
    ...((ref) => (ref ? { identifiers: [{ scheme: 'erp-customer-no' as const, value: ref }] } : {}))(
      text(r.ref),
    ),
    ...(contacts.length ? { contacts: contacts.flatMap(contactOf) } : {}),
  });
}

/** A product's SKU: the `[CODE]` Odoo puts in front of its display name, else the product id. */
const skuOf = (product: unknown) => {
  const name = m2oName(product);
  return (name && /^\[([^\]]+)\]/.exec(name)?.[1]) ?? m2oId(product) ?? 'unknown';
};

function order(r: OdooRecord, at: string, lines: OdooRecord[]): CanonicalRecord {
  const name = text(r.name);
  const customer = m2oId(r.partner_id);
  if (!name) throw bad(`${at}.name`, 'missing');
  if (!customer) throw bad(`${at}.partner_id`, 'missing');
  const shipTo = m2oId(r.partner_shipping_id);
  const billTo = m2oId(r.partner_invoice_id);
  const parties = [
    ...(shipTo && shipTo !== customer ? [{ role: 'consignee' as const, customerExternalId: shipTo }] : []),
    ...(billTo && billTo !== customer ? [{ role: 'bill-to' as const, customerExternalId: billTo }] : []),
  ];
  const orderedAt = odooTime(r.date_order, `${at}.date_order`);
  if (!orderedAt) throw bad(`${at}.date_order`, 'missing');
  return base(r, 'orders', at, name, {
    externalId: name,
    customerExternalId: customer,
    parties,
    ...(text(r.state) ? { status: text(r.state) } : {}),
    orderedAt,
    ...(odooTime(r.commitment_date, `${at}.commitment_date`)
      ? { requiredAt: odooTime(r.commitment_date, `${at}.commitment_date`) }
      : {}),
    ...(m2oName(r.currency_id) ? { currency: m2oName(r.currency_id) } : {}),
    lines: lines
      .filter((l) => !l.display_type)
      .map((l, i) => {
        const la = `${at}.order_line[${i}]`;
        const discount = number(l.discount, `${la}.discount`);
        return {
          sku: skuOf(l.product_id),
          ...(text(l.name) ? { description: text(l.name) } : {}),
          quantity: number(l.product_uom_qty, `${la}.product_uom_qty`) ?? 0,
          unitPrice: number(l.price_unit, `${la}.price_unit`) ?? 0,
          ...(discount ? { discount: discount / 100 } : {}),
          ...(number(l.qty_delivered, `${la}.qty_delivered`) !== undefined
            ? { quantityShipped: number(l.qty_delivered, `${la}.qty_delivered`) }
            : {}),
        };
      }),
  });
}

const INVOICE_STATUS = (r: OdooRecord) =>
  r.state === 'cancel'
    ? 'CANCELLED'
    : ['paid', 'in_payment', 'reversed'].includes(String(r.payment_state))
      ? 'PAID'
      : r.payment_state === 'partial'
        ? 'PARTIALLY_PAID'
        : 'OPEN';

function invoice(r: OdooRecord, at: string): CanonicalRecord {
  const name = text(r.name);
  const customer = m2oId(r.partner_id);
  if (!name) throw bad(`${at}.name`, 'missing');
  if (!customer) throw bad(`${at}.partner_id`, 'missing');
  const issuedAt = odooTime(r.invoice_date, `${at}.invoice_date`);
  if (!issuedAt) throw bad(`${at}.invoice_date`, 'missing (a posted invoice has a date)');
  const currency = m2oName(r.currency_id);
  if (!currency) throw bad(`${at}.currency_id`, 'missing');
  const total = number(r.amount_total, `${at}.amount_total`) ?? 0;
  const residual = number(r.amount_residual, `${at}.amount_residual`) ?? total;
  return base(r, 'invoices', at, name, {
    externalId: name,
    customerExternalId: customer,
    ...(text(r.invoice_origin) ? { orderExternalId: text(r.invoice_origin) } : {}),
    issuedAt,
    dueAt: odooTime(r.invoice_date_due, `${at}.invoice_date_due`) ?? issuedAt,
    currency,
    totalAmount: total,
    paidAmount: Math.round((total - residual) * 100) / 100,
    status: INVOICE_STATUS(r),
  });
}

const PICKING_STATUS: Record<string, DeliveryStatus> = {
  draft: 'CREATED',
  waiting: 'CREATED',
  confirmed: 'CREATED',
  assigned: 'PLANNED',
  done: 'DELIVERED',
  cancel: 'CANCELLED',
};

function picking(r: OdooRecord, at: string): CanonicalRecord {
  const name = text(r.name);
  if (!name) throw bad(`${at}.name`, 'missing');
  const status = PICKING_STATUS[String(r.state)];
  if (!status) throw bad(`${at}.state`, `unknown picking state ${JSON.stringify(r.state)}`);
  const origin = text(r.origin);
  const customer = m2oId(r.partner_id);
  if (!origin && !customer) throw bad(`${at}.partner_id`, 'neither an origin order nor a partner');
  return base(r, 'pickings', at, name, {
    externalId: name,
    status,
    sourceStatus: String(r.state),
    ...(origin ? { orderExternalId: origin } : {}),
    ...(customer ? { customerExternalId: customer } : {}),
    ...((promised) => (promised ? { promisedTo: promised } : {}))(
      odooTime(
        firstSet(r.date_deadline, r.scheduled_date),
        text(r.date_deadline) ? `${at}.date_deadline` : `${at}.scheduled_date`,
      ),
    ),
    ...(status === 'DELIVERED' && odooTime(r.date_done, `${at}.date_done`)
      ? { deliveredAt: odooTime(r.date_done, `${at}.date_done`) }
      : {}),
    ...((ref) => (ref ? { trackingRefs: [ref] } : {}))(text(r.carrier_tracking_ref)),
  });
}

/**
 * One page of Odoo records as canonical records; `children` are the orders' sale.order.line records,
 * or the companies' contact persons.
 */
export function mapPage(
  stream: StreamName,
  records: OdooRecord[],
  lines: OdooRecord[] = [],
): CanonicalRecord[] {
  return records.map((r, i) => {
    const at = `${STREAMS[stream].model}[${r?.id ?? i}]`;
    if (!r || typeof r !== 'object' || typeof r.id !== 'number')
      throw bad(`items[${i}]`, 'not an Odoo record');
    if (stream === 'partners')
      return partner(
        r,
        at,
        lines.filter((c) => m2oId(c.parent_id) === String(r.id)),
      );
    if (stream === 'orders')
      return order(
        r,
        at,
        lines.filter((l) => m2oId(l.order_id) === String(r.id)),
      );
    if (stream === 'invoices') return invoice(r, at);
    return picking(r, at);
  });
}
