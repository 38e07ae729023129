import { ConnectorError } from '@tradelane/connector-sdk';
import { X12SetOut } from '@tradelane/connector-sdk/edi';
import type { FulfilmentAddressV1, OrderFulfilmentRequestedV1 } from '@tradelane/contracts';

/** Characters that are X12 delimiters in what we write (and line breaks): never inside a value. */
const DELIMITERS = /[*~>^\r\n]/g;

/** A descriptive value (a name, an address, a description): cleaned and cut to its X12 maximum. */
const text = (v: string | undefined, max: number): string =>
  (v ?? '').replace(DELIMITERS, ' ').trim().slice(0, max);

/** An identifier (order number, SKU): cleaned, and refused when longer than X12 allows (never cut). */
function id(v: string, max: number, field: string): string {
  const clean = v.replace(DELIMITERS, ' ').trim();
  if (clean.length > max)
    throw new ConnectorError(
      'permanent',
      `${field} "${clean}" is longer than the ${max} characters X12 allows`,
      {
        field,
      },
    );
  return clean;
}

const ymd = (iso: string) => iso.slice(0, 10).replace(/-/g, '');
const hhmm = (iso: string) => iso.slice(11, 16).replace(':', '');

function party(code: 'ST' | 'DE', a: FulfilmentAddressV1): string[][] {
  const out = [
    ['N1', code, text(a.name, 60), ...(a.externalId ? ['91', id(a.externalId, 80, `N1 ${code} N104`)] : [])],
  ];
  if (a.street) out.push(['N3', text(a.street, 55)]);
  if (a.city || a.postalCode || a.country)
    out.push(['N4', text(a.city, 30), '', text(a.postalCode, 15), text(a.country, 3)]);
  return out;
}

/**
 * A CRM fulfilment request as an X12 940 Warehouse Shipping Order (4010): W05 (N original, the
 * depositor's order number), N1 ST ship-to and N1 DE depositor with N3/N4, G62 04 order date and
 * G62 02 delivery requested, NTE WHI handling note, W66 carrier, one LX/W01 (quantity, EA, vendor
 * item VN) and G69 per line, W76 total quantity. Times are UTC. What our own 940 reader gives back
 * is the same order (tested).
 */
export function write940(p: OrderFulfilmentRequestedV1): Omit<X12SetOut, 'control'> {
  const segments: string[][] = [
    ['W05', 'N', id(p.orderExternalId, 22, 'W0502 (order number)')],
    ...party('ST', p.shipTo),
    ...party('DE', p.depositor),
    ['G62', '04', ymd(p.orderedAt), '', hhmm(p.orderedAt)],
    ...(p.requiredAt ? [['G62', '02', ymd(p.requiredAt), '', hhmm(p.requiredAt)]] : []),
    ...(p.note ? [['NTE', 'WHI', text(p.note, 80)]] : []),
    ...(p.carrier ? [['W66', 'PP', 'M', '', '', text(p.carrier, 35)]] : []),
  ];
  p.lines.forEach((l, i) => {
    segments.push(['LX', String(i + 1)]);
    segments.push(['W01', String(l.quantity), 'EA', '', 'VN', id(l.sku, 48, `line ${i + 1} W0105 (SKU)`)]);
    if (l.description) segments.push(['G69', text(l.description, 45)]);
  });
  segments.push(['W76', String(p.lines.reduce((n, l) => n + l.quantity, 0))]);
  return { type: '940', segments };
}
