import { x12Date, x12Id, X12SetOut, x12Text, x12Time } from '@tradelane/connector-sdk/edi';
import type { FulfilmentAddressV1, OrderFulfilmentRequestedV1 } from '@tradelane/contracts';

function party(code: 'ST' | 'DE', a: FulfilmentAddressV1): string[][] {
  const out = [
    [
      'N1',
      code,
      x12Text(a.name, 60),
      ...(a.externalId ? ['91', x12Id(a.externalId, 80, `N1 ${code} N104`)] : []),
    ],
  ];
  if (a.street) out.push(['N3', x12Text(a.street, 55)]);
  if (a.city || a.postalCode || a.country)
    out.push(['N4', x12Text(a.city, 30), '', x12Text(a.postalCode, 15), x12Text(a.country, 3)]);
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
    ['W05', 'N', x12Id(p.orderExternalId, 22, 'W0502 (order number)')],
    ...party('ST', p.shipTo),
    ...party('DE', p.depositor),
    ['G62', '04', x12Date(p.orderedAt), '', x12Time(p.orderedAt)],
    ...(p.requiredAt ? [['G62', '02', x12Date(p.requiredAt), '', x12Time(p.requiredAt)]] : []),
    ...(p.note ? [['NTE', 'WHI', x12Text(p.note, 80)]] : []),
    ...(p.carrier ? [['W66', 'PP', 'M', '', '', x12Text(p.carrier, 35)]] : []),
  ];
  p.lines.forEach((l, i) => {
    segments.push(['LX', String(i + 1)]);
    segments.push(['W01', String(l.quantity), 'EA', '', 'VN', x12Id(l.sku, 48, `line ${i + 1} W0105 (SKU)`)]);
    if (l.description) segments.push(['G69', x12Text(l.description, 45)]);
  });
  segments.push(['W76', String(p.lines.reduce((n, l) => n + l.quantity, 0))]);
  return { type: '940', segments };
}
