import type { CanonicalPayload } from '@tradelane/connector-sdk';
import {
  CustomerUpsertedV1,
  DeliveryStatusChangedV1,
  InvoiceUpsertedV1,
  OrderLineV1,
  OrderUpsertedV1,
  PartyRefV1,
} from '@tradelane/contracts';
import { DateTime } from 'luxon';
import { columnOf, Idoc, IdocError, IdocSegment } from './idoc/idoc.parser';
import { ianaZoneOf } from './sap-time-zone';

/** SAP partner functions (PARVW) → our party roles; AG (sold-to) is the order's customer itself. */
export const PARTNER_ROLES: Record<string, PartyRefV1['role']> = {
  WE: 'consignee',
  RE: 'bill-to',
  LF: 'supplier',
};

/** What an IDoc maps to: a canonical record type and its payload (the connector adds key and time). */
export type MappedIdoc = {
  [T in 'delivery.status-changed' | 'order.upserted' | 'invoice.upserted' | 'customer.upserted']: {
    type: T;
    payload: CanonicalPayload<T>;
  };
}['delivery.status-changed' | 'order.upserted' | 'invoice.upserted' | 'customer.upserted'];

const fail = (idoc: Idoc, s: IdocSegment | undefined, field: string, reason: string): never => {
  const path = (s?.path ?? idoc.path) && `${s?.path ?? idoc.path}/${field}`;
  throw new IdocError(
    s?.record ?? idoc.record,
    s ? columnOf(idoc.type, s.type, field) : 1,
    field,
    reason,
    path,
  );
};

/** SAP number: blanks around, decimal point, a trailing minus for negatives (`55.12-`). */
export function sapNumber(idoc: Idoc, s: IdocSegment, field: string): number | undefined {
  const raw = s.fields[field];
  if (raw === undefined) return undefined;
  const m = /^(\d+(?:\.\d*)?|\.\d+)(-?)$/.exec(raw.replace(/^-/, '').trim());
  if (!m) return fail(idoc, s, field, `"${raw}" is not a number`);
  const v = Number(m[1]);
  return raw.startsWith('-') || m[2] ? -v : v;
}

/**
 * SAP date (YYYYMMDD, 00000000 = none) and optional time (HHMMSS) as ISO 8601 UTC. SAP writes local
 * times: in the zone of `zoneField` (TZONE_BEG / TZONE_END) where the segment has one filled, else in
 * the SAP system's zone (the instance's `timeZone`, UTC by default). An unknown zone code is an error.
 */
export function sapDate(
  idoc: Idoc,
  s: IdocSegment,
  dateField = 'DATUM',
  timeField = 'UZEIT',
  zoneField?: string,
): string | undefined {
  const d = s.fields[dateField];
  if (!d || /^0+$/.test(d)) return undefined;
  const t = s.fields[timeField] ?? '000000';
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(d);
  const n = /^(\d{2})(\d{2})(\d{2})$/.exec(t.padEnd(6, '0'));
  if (!m) return fail(idoc, s, dateField, `"${d}" is not a date YYYYMMDD`);
  if (!n) return fail(idoc, s, timeField, `"${t}" is not a time HHMMSS`);
  const code = zoneField ? s.fields[zoneField] : undefined;
  const zone = code ? ianaZoneOf(code) : (idoc.zone ?? 'UTC');
  if (!zone)
    return fail(
      idoc,
      s,
      zoneField as string,
      `"${code}" is not an SAP time zone this connector knows (e.g. CET, EST, UTC+8)`,
    );
  const at = DateTime.fromObject(
    { year: +m[1], month: +m[2], day: +m[3], hour: +n[1], minute: +n[2], second: +n[3] },
    { zone },
  );
  if (!at.isValid || at.day !== +m[3] || at.month !== +m[2])
    return fail(idoc, s, dateField, `"${d}" is not a calendar date`);
  return at.toUTC().toISO() as string;
}

/** Header segments (before the first item) and items (E2EDP01 with the E2EDP* segments after it). */
function split(idoc: Idoc) {
  const header: IdocSegment[] = [];
  const items: { item: IdocSegment; children: IdocSegment[] }[] = [];
  const summary: IdocSegment[] = [];
  for (const s of idoc.segments) {
    if (s.type === 'E2EDP01') items.push({ item: s, children: [] });
    else if (s.type.startsWith('E2EDS')) summary.push(s);
    else if (items.length && (s.type.startsWith('E2EDP') || !s.known))
      items[items.length - 1].children.push(s);
    else header.push(s);
  }
  return { header, items, summary };
}

const byQualifier = (segments: IdocSegment[], type: string, field: string, ...qualifiers: string[]) => {
  for (const q of qualifiers) {
    const s = segments.find((x) => x.type === type && x.fields[field] === q);
    if (s) return s;
  }
  return undefined;
};

function partners(idoc: Idoc, header: IdocSegment[]) {
  const list = header.filter((s) => s.type === 'E2EDKA1');
  const id = (s: IdocSegment) => s.fields.PARTN ?? s.fields.LIFNR;
  for (const s of list) if (!s.fields.PARVW) fail(idoc, s, 'PARVW', 'partner function is blank');
  const of = (fn: string) => list.find((s) => s.fields.PARVW === fn);
  const parties: PartyRefV1[] = list.flatMap((s) => {
    const role = PARTNER_ROLES[s.fields.PARVW];
    const externalId = id(s);
    return role && externalId ? [{ role, customerExternalId: externalId }] : [];
  });
  return { of, id, parties };
}

/** ORDERS05: a customer's purchase order. Customer = sold-to (AG), else the IDoc's sending partner. */
export function ordersToOrder(idoc: Idoc): OrderUpsertedV1 {
  const { header, items } = split(idoc);
  const k01 = header.find((s) => s.type === 'E2EDK01');
  const p = partners(idoc, header);
  const soldTo = p.of('AG');
  const customer = (soldTo && p.id(soldTo)) ?? idoc.control.SNDPRN;
  if (!customer)
    fail(idoc, soldTo, 'PARTN', 'no sold-to partner (E2EDKA1 PARVW AG) and no sending partner (SNDPRN)');
  const externalId = k01?.fields.BELNR ?? idoc.control.DOCNUM;
  if (!externalId) fail(idoc, k01, 'BELNR', 'no order number (E2EDK01 BELNR) and no IDoc number');
  const docDate =
    byQualifier(header, 'E2EDK03', 'IDDAT', '012', '022', '025') ?? header.find((s) => s.type === 'E2EDK03');
  const orderedAt = docDate && sapDate(idoc, docDate);
  if (!orderedAt) fail(idoc, docDate, 'DATUM', 'no order date (E2EDK03 IDDAT 012 / 022)');
  const required = byQualifier(header, 'E2EDK03', 'IDDAT', '002', '001');
  const lines: OrderLineV1[] = items.map(({ item, children }, i) => {
    const material = byQualifier(children, 'E2EDP19', 'QUALF', '002', '001', '003');
    const quantity = sapNumber(idoc, item, 'MENGE');
    if (quantity === undefined) fail(idoc, item, 'MENGE', 'item has no quantity');
    const price = sapNumber(idoc, item, 'VPREI') ?? 0;
    const per = sapNumber(idoc, item, 'PEINH') || 1;
    return {
      sku: material?.fields.IDTNR ?? item.fields.POSEX ?? String(i + 1),
      ...(material?.fields.KTEXT ? { description: material.fields.KTEXT } : {}),
      quantity: quantity as number,
      unitPrice: Math.round((price / per) * 10_000) / 10_000,
    };
  });
  return {
    externalId: externalId as string,
    customerExternalId: customer as string,
    parties: p.parties,
    orderedAt: orderedAt as string,
    ...(required && sapDate(idoc, required) ? { requiredAt: sapDate(idoc, required) } : {}),
    ...(k01?.fields.CURCY ? { currency: k01.fields.CURCY } : {}),
    lines,
  };
}

/** INVOIC02: our invoice to the customer (sold-to AG, else bill-to RE, else payer RG). */
export function invoicToInvoice(idoc: Idoc): InvoiceUpsertedV1 {
  const { header, summary } = split(idoc);
  const k01 = header.find((s) => s.type === 'E2EDK01');
  const p = partners(idoc, header);
  const party = p.of('AG') ?? p.of('RE') ?? p.of('RG');
  const customer = party && p.id(party);
  if (!customer) fail(idoc, party, 'PARTN', 'no sold-to (AG), bill-to (RE) or payer (RG) partner');
  const externalId = k01?.fields.BELNR ?? byQualifier(header, 'E2EDK02', 'QUALF', '009')?.fields.BELNR;
  if (!externalId) fail(idoc, k01, 'BELNR', 'no invoice number (E2EDK01 BELNR or E2EDK02 QUALF 009)');
  const issued = byQualifier(header, 'E2EDK03', 'IDDAT', '012', '026');
  const issuedAt = issued && sapDate(idoc, issued);
  if (!issuedAt) fail(idoc, issued, 'DATUM', 'no invoice date (E2EDK03 IDDAT 012 / 026)');
  const due = byQualifier(header, 'E2EDK03', 'IDDAT', '028');
  const total = byQualifier(summary, 'E2EDS01', 'SUMID', '011', '010');
  const totalAmount = total && sapNumber(idoc, total, 'SUMME');
  if (totalAmount === undefined) fail(idoc, total, 'SUMME', 'no invoice total (E2EDS01 SUMID 011 / 010)');
  const currency = k01?.fields.CURCY ?? total?.fields.WAERQ;
  if (!currency) fail(idoc, k01, 'CURCY', 'no currency');
  const order = byQualifier(header, 'E2EDK02', 'QUALF', '002');
  return {
    externalId: externalId as string,
    customerExternalId: customer as string,
    ...(order?.fields.BELNR ? { orderExternalId: order.fields.BELNR } : {}),
    issuedAt: issuedAt as string,
    dueAt: (due && sapDate(idoc, due)) || (issuedAt as string),
    currency: currency as string,
    totalAmount: totalAmount as number,
    status: 'OPEN',
  };
}

/** DEBMAS: a customer master record. */
export function debmasToCustomer(idoc: Idoc): CustomerUpsertedV1 {
  const kna1 = idoc.segments.find((s) => s.type === 'E1KNA1M');
  if (!kna1) return fail(idoc, undefined, 'E1KNA1M', 'DEBMAS without its E1KNA1M segment');
  const f = kna1.fields;
  if (!f.KUNNR) fail(idoc, kna1, 'KUNNR', 'customer number is blank');
  if (!f.NAME1) fail(idoc, kna1, 'NAME1', 'customer name is blank');
  const mail = idoc.segments.find((s) => s.type === 'E1KNA1H')?.fields.SMTP_ADDR;
  return {
    externalId: f.KUNNR,
    name: [f.NAME1, f.NAME2].filter(Boolean).join(' '),
    ...(f.STCEG ? { vatId: f.STCEG } : {}),
    ...(f.STRAS ? { street: f.STRAS } : {}),
    ...(f.ORT01 ? { city: f.ORT01 } : {}),
    ...(f.PSTLZ ? { postalCode: f.PSTLZ } : {}),
    ...(f.LAND1 ? { country: f.LAND1 } : {}),
    ...(f.TELF1 ? { phone: f.TELF1 } : {}),
    ...(mail ? { email: mail } : {}),
  };
}

/** SAP deadline qualifiers (E2EDT13 QUALF) used for a delivery. */
const GOODS_ISSUE = '006';
const DELIVERY_DATE = '007';

/** A deadline of an E2EDT13 / E2EDT10: start fields in TZONE_BEG, end fields in TZONE_END. */
function deadline(idoc: Idoc, s: IdocSegment | undefined, date: string, time: string): string | undefined {
  const zone = ['NTANF', 'ISDD'].includes(date) ? 'TZONE_BEG' : 'TZONE_END';
  return s && s.fields[date] ? sapDate(idoc, s, date, time, zone) : undefined;
}

/**
 * DELVRY03: an outbound delivery. Goods issue posted (E2EDT13 006 with an actual date) = picked up
 * and in transit; otherwise planned, promised by the delivery date (007). Customer = sold-to (AG),
 * else ship-to (WE); ship-to is also the consignee; the sales order from E2EDL43 QUALF C.
 */
export function delvryToDelivery(idoc: Idoc): DeliveryStatusChangedV1 {
  return deliveryOf(idoc, idoc.segments);
}

/** One delivery from its E2EDL20 and the segments that follow it (partners, dates, items, references). */
function deliveryOf(
  idoc: Idoc,
  group: IdocSegment[],
  shipment?: { status: DeliveryStatusChangedV1['status']; sourceStatus: string; refs: string[] },
): DeliveryStatusChangedV1 {
  const head = group.find((s) => s.type === 'E2EDL20');
  if (!head?.fields.VBELN) return fail(idoc, head, 'VBELN', 'no delivery number (E2EDL20 VBELN)');
  const partner = (q: string) => group.find((s) => s.type === 'E2ADRM1' && s.fields.PARTNER_Q === q);
  const soldTo = partner('AG')?.fields.PARTNER_ID;
  const shipTo = partner('WE')?.fields.PARTNER_ID;
  const order = group.find((s) => s.type === 'E2EDL43' && s.fields.QUALF === 'C')?.fields.BELNR;
  if (!soldTo && !shipTo && !order)
    fail(idoc, head, 'VBELN', 'no sold-to or ship-to partner (E2ADRM1) and no order (E2EDL43)');
  const dates = group.filter((s) => s.type === 'E2EDT13');
  const issue = dates.find((s) => s.fields.QUALF === GOODS_ISSUE);
  const due = dates.find((s) => s.fields.QUALF === DELIVERY_DATE);
  const issuedAt = deadline(idoc, issue, 'ISDD', 'ISDZ');
  const promisedTo = deadline(idoc, due, 'NTEND', 'NTENZ');
  const refs = [
    ...(shipment?.refs ?? []),
    ...[head.fields.TRAID ?? head.fields.BOLNR].filter((r): r is string => !!r),
  ];
  return {
    externalId: head.fields.VBELN,
    status: shipment?.status ?? (issuedAt ? 'IN_TRANSIT' : 'PLANNED'),
    sourceStatus: shipment?.sourceStatus ?? (issuedAt ? 'goods issue posted' : 'delivery created'),
    ...(order ? { orderExternalId: order } : {}),
    ...(soldTo || shipTo ? { customerExternalId: (soldTo ?? shipTo) as string } : {}),
    ...(shipTo ? { parties: [{ role: 'consignee' as const, customerExternalId: shipTo }] } : {}),
    ...(issuedAt ? { pickedUpAt: issuedAt } : {}),
    ...(promisedTo ? { promisedTo } : {}),
    ...(refs.length ? { trackingRefs: [...new Set(refs)] } : {}),
  };
}

/** SAP's overall transport status of a shipment (E2EDT20 STTRG) as a delivery status. */
const SHIPMENT_STATUS: Record<string, [DeliveryStatusChangedV1['status'], string]> = {
  '1': ['CREATED', 'shipment planned'],
  '2': ['CREATED', 'check-in'],
  '3': ['PLANNED', 'loading started'],
  '4': ['PLANNED', 'loading ended'],
  '5': ['PLANNED', 'shipment completion'],
  '6': ['IN_TRANSIT', 'shipment started'],
  '7': ['DELIVERED', 'shipment ended'],
};

/**
 * SHPMNT05: a shipment (truck, container) carrying deliveries. Each delivery in it (E2EDL20 and the
 * segments after it) becomes its own status change, at the shipment's transport status, with the
 * shipment number and the vehicle / external id as tracking references.
 */
export function shpmntToDeliveries(idoc: Idoc): DeliveryStatusChangedV1[] {
  const head = idoc.segments.find((s) => s.type === 'E2EDT20');
  if (!head?.fields.TKNUM) return fail(idoc, head, 'TKNUM', 'no shipment number (E2EDT20 TKNUM)');
  const code = head.fields.STTRG;
  // An empty status is an error: defaulting it to "planned" hid a layout reading the wrong column.
  if (!code) fail(idoc, head, 'STTRG', 'the overall transport status is blank (1-7 expected)');
  const mapped = SHIPMENT_STATUS[code as string];
  if (!mapped) fail(idoc, head, 'STTRG', `unknown transport status "${code}" (1-7)`);
  const [status, sourceStatus] = mapped as [DeliveryStatusChangedV1['status'], string];
  const refs = [head.fields.TKNUM, head.fields.SIGNI, head.fields.EXTI1].filter((r): r is string => !!r);
  const groups: IdocSegment[][] = [];
  for (const s of idoc.segments) {
    if (s.type === 'E2EDL20') groups.push([s]);
    else if (groups.length) groups[groups.length - 1].push(s);
  }
  if (!groups.length) fail(idoc, head, 'TKNUM', 'the shipment carries no delivery (E2EDL20)');
  // Delivered: the delivery's proof of delivery (PODAT/POTIM), else the shipment's actual end
  // (E2EDT10 IEDD/IEDZ in TZONE_END), else when SAP created the IDoc.
  const shipmentEnd = idoc.segments
    .filter((s) => s.type === 'E2EDT10' && s.fields.IEDD)
    .map((s) => deadline(idoc, s, 'IEDD', 'IEDZ'))
    .find(Boolean);
  return groups.map((g) => {
    const head20 = g[0];
    const pod = head20.fields.PODAT ? sapDate(idoc, head20, 'PODAT', 'POTIM') : undefined;
    return {
      ...deliveryOf(idoc, g, { status, sourceStatus, refs }),
      ...(status === 'DELIVERED' ? { deliveredAt: pod ?? shipmentEnd ?? sapCreated(idoc) } : {}),
    };
  });
}

/** When SAP created the IDoc (control record CREDAT/CRETIM, in the SAP system's zone), if it says. */
export function sapCreated(idoc: Idoc): string | undefined {
  const d = idoc.control.CREDAT;
  const t = (idoc.control.CRETIM ?? '000000').padEnd(6, '0');
  if (!d || !/^\d{8}$/.test(d) || !/^\d{6}$/.test(t)) return undefined;
  const at = DateTime.fromFormat(`${d}${t}`, 'yyyyMMddHHmmss', { zone: idoc.zone ?? 'UTC' });
  return at.isValid ? (at.toUTC().toISO() as string) : undefined;
}

/** Every canonical record an IDoc carries (a shipment carries one per delivery). */
export function toCanonicalAll(idoc: Idoc): MappedIdoc[] {
  if (idoc.type.startsWith('SHPMNT'))
    return shpmntToDeliveries(idoc).map((payload) => ({ type: 'delivery.status-changed' as const, payload }));
  return [toCanonical(idoc)];
}

/** The canonical record an IDoc carries, by its type. */
export function toCanonical(idoc: Idoc): MappedIdoc {
  if (idoc.type.startsWith('ORDERS')) return { type: 'order.upserted', payload: ordersToOrder(idoc) };
  if (idoc.type.startsWith('INVOIC')) return { type: 'invoice.upserted', payload: invoicToInvoice(idoc) };
  if (idoc.type.startsWith('DEBMAS')) return { type: 'customer.upserted', payload: debmasToCustomer(idoc) };
  if (idoc.type.startsWith('DELVRY'))
    return { type: 'delivery.status-changed', payload: delvryToDelivery(idoc) };
  return fail(idoc, undefined, 'IDOCTYP', `no mapping for IDoc type ${idoc.type}`);
}
