import { ConnectorError } from '@tradelane/connector-sdk';
import { value, x12Date, X12SetOut, X12SetOutcome, x12Text } from '@tradelane/connector-sdk/edi';
import type { FulfilmentAddressV1, OrderFulfilmentRequestedV1 } from '@tradelane/contracts';

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
    ['B1', x12Text(scac, 4), x12Text(shipment, 30), x12Date(at.toISOString()), accepted ? 'A' : 'D'],
  ];
  if (!accepted && tender.reason)
    segments.push(['K1', x12Text(tender.reason, 30), x12Text(tender.reason.slice(30), 30)]);
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
  if (at) out.push(['G62', reason === 'UL' ? '68' : '69', x12Date(at), '', '', '']);
  out.push(['N1', code, x12Text(a.name, 60), ...(a.externalId ? ['92', x12Text(a.externalId, 80)] : [])]);
  if (a.street) out.push(['N3', x12Text(a.street, 55)]);
  if (a.city || a.postalCode || a.country)
    out.push(['N4', x12Text(a.city, 30), '', x12Text(a.postalCode, 15), x12Text(a.country, 3)]);
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
  const orderId = x12Text(p.orderExternalId, 30);
  return {
    type: '204',
    segments: [
      ['B2', '', x12Text(carrierScac, 4), '', orderId, '', 'PP'],
      ['B2A', '00', 'LT'],
      ['L11', orderId, 'PO'],
      ...(p.note ? [['NTE', 'LOI', x12Text(p.note, 80)]] : []),
      ...stop(1, 'LD', 'SF', p.depositor, p.orderedAt),
      ...p.lines.map((l) => ['OID', orderId, x12Text(l.sku, 30), '', 'EA', String(l.quantity)]),
      ...stop(2, 'UL', 'ST', p.shipTo, p.requiredAt),
      ['L3', '', '', '', '', '', '', '', '', '', '', String(p.lines.reduce((n, l) => n + l.quantity, 0))],
    ],
  };
}
