import { ConnectorError } from '@tradelane/connector-sdk';
import { value, X12SetOut, X12SetOutcome } from '@tradelane/connector-sdk/edi';
import type { FulfilmentAddressV1, OrderFulfilmentRequestedV1 } from '@tradelane/contracts';

/** X12 delimiters (and line breaks) never inside a value we write. */
const clean = (v: string | undefined, max: number): string =>
  (v ?? '')
    .replace(/[*~>^\r\n]/g, ' ')
    .trim()
    .slice(0, max);
const ymd = (iso: string) => iso.slice(0, 10).replace(/-/g, '');

/**
 * The 990 answering one received 204 (Response to a Load Tender, 4010): B1 with our SCAC, the load's
 * shipment id (B204), the date and A (accepted: it was taken) or D (declined: it was rejected, the
 * reason in K1, cut to 30 characters per K1 element).
 */
export function write990(tender: X12SetOutcome, scac: string, at: Date): Omit<X12SetOut, 'control'> {
  const b2 = tender.set.segments.find((s) => s.tag === 'B2');
  const shipment = value(b2, 4) ?? tender.set.control;
  const accepted = tender.status !== 'R';
  const segments: string[][] = [
    ['B1', clean(scac, 4), clean(shipment, 30), ymd(at.toISOString()), accepted ? 'A' : 'D'],
  ];
  if (!accepted && tender.reason)
    segments.push(['K1', clean(tender.reason, 30), clean(tender.reason.slice(30), 30)]);
  return { type: '990', segments };
}

function stop(
  n: number,
  reason: 'LD' | 'UL',
  code: 'SF' | 'ST',
  a: FulfilmentAddressV1,
  at?: string,
): string[][] {
  const out: string[][] = [['S5', String(n), reason]];
  if (at) out.push(['G62', reason === 'UL' ? '68' : '69', ymd(at), '', '', '']);
  out.push(['N1', code, clean(a.name, 60), ...(a.externalId ? ['92', clean(a.externalId, 80)] : [])]);
  if (a.street) out.push(['N3', clean(a.street, 55)]);
  if (a.city || a.postalCode || a.country)
    out.push(['N4', clean(a.city, 30), '', clean(a.postalCode, 15), clean(a.country, 3)]);
  return out;
}

/**
 * A CRM fulfilment request as a 204 Motor Carrier Load Tender (4010) to the carrier: B2 with the
 * carrier's SCAC and the order as the shipment id, B2A 00 (original), L11 PO, stop 1 loading at the
 * depositor (N1 SF), stop 2 unloading at the ship-to (N1 ST) by the required date (G62 68), and the
 * lines as OID references. Our own 204 reader reads it back to the same transport order (tested).
 */
export function write204(p: OrderFulfilmentRequestedV1, carrierScac: string): Omit<X12SetOut, 'control'> {
  if (p.orderExternalId.length > 30)
    throw new ConnectorError(
      'permanent',
      `B204 (shipment id) "${p.orderExternalId}" is longer than the 30 characters X12 allows`,
      {
        field: 'B204',
      },
    );
  const orderId = clean(p.orderExternalId, 30);
  return {
    type: '204',
    segments: [
      ['B2', '', clean(carrierScac, 4), '', orderId, '', 'PP'],
      ['B2A', '00', 'LT'],
      ['L11', orderId, 'PO'],
      ...(p.note ? [['NTE', 'LOI', clean(p.note, 80)]] : []),
      ...stop(1, 'LD', 'SF', p.depositor, p.orderedAt),
      ...p.lines.map((l) => ['OID', orderId, clean(l.sku, 30), '', 'EA', String(l.quantity)]),
      ...stop(2, 'UL', 'ST', p.shipTo, p.requiredAt),
      ['L3', '', '', '', '', '', '', '', '', '', '', String(p.lines.reduce((n, l) => n + l.quantity, 0))],
    ],
  };
}
