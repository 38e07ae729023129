import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  customerOf,
  numberOf,
  partiesOf,
  productIdOf,
  required,
  timestampOf,
  value,
  X12Loop,
  X12MapContext,
  X12Mapper,
  X12MappingError,
  X12Positioned,
  X12SetSpec,
} from '@tradelane/connector-sdk/edi';
import type { OrderLineV1, OrderUpsertedV1 } from '@tradelane/contracts';

const N1_LOOP = { id: 'N1', start: 'N1', segments: ['N2', 'N3', 'N4', 'REF', 'PER', 'FOB'] } as const;

/**
 * Product id qualifiers (element 235) in the order we take the line's SKU from: the buyer's and
 * vendor's item numbers before the trade item codes.
 */
const SKU_QUALIFIERS = ['VN', 'VC', 'BP', 'SK', 'IN', 'CB', 'UP', 'UK', 'EN', 'UA', 'UI'];

/** The SKU of a line segment: by SKU_QUALIFIERS from `first` on, else the UPC element `fallback`. */
const skuOf = (seg: X12Positioned, first: number, fallback?: number): string | undefined =>
  productIdOf(seg, first, SKU_QUALIFIERS) ?? (fallback ? value(seg, fallback) : undefined);

function line(
  seg: X12Positioned,
  loop: X12Loop,
  q: { quantity: number; price?: number; idsFrom: number; upc?: number },
): OrderLineV1 {
  const sku = skuOf(seg, q.idsFrom, q.upc);
  if (!sku)
    throw new X12MappingError('the line names no product (no qualifier/id pair)', seg, q.idsFrom, '1');
  const quantity = numberOf(seg, q.quantity);
  if (quantity === undefined) throw new X12MappingError('the line has no quantity', seg, q.quantity, '1');
  const description = value(loop.first('PID'), 5) ?? value(loop.first('G69'), 1);
  return {
    sku,
    ...(description ? { description } : {}),
    quantity,
    unitPrice: (q.price ? numberOf(seg, q.price) : undefined) ?? 0,
  };
}

/** BEG01 / BAK01 transaction set purpose → order status (855: BAK02 acknowledgement type wins). */
const PURPOSE: Readonly<Record<string, string>> = {
  '00': 'new',
  '01': 'cancelled',
  '04': 'changed',
  '05': 'replaced',
};
const ACK_TYPE: Readonly<Record<string, string>> = {
  AC: 'acknowledged with changes',
  AD: 'acknowledged',
  AK: 'acknowledged',
  AT: 'accepted',
  RD: 'rejected',
  RJ: 'rejected',
};

function purchaseOrderSpec(type: '850' | '855', name: string, header: string): X12SetSpec {
  return {
    type,
    name,
    body: {
      id: 'header',
      segments: [
        header,
        'CUR',
        'REF',
        'PER',
        'TAX',
        'FOB',
        'CTP',
        'CSH',
        'SAC',
        'ITD',
        'DTM',
        'PKG',
        'TD1',
        'TD5',
        'TD3',
        'TD4',
        'MSG',
        'MTX',
        'N9',
        'CTT',
        'AMT',
      ],
      loops: [
        N1_LOOP,
        {
          id: 'PO1',
          start: 'PO1',
          segments: [
            'CUR',
            'PO3',
            'CTP',
            'PID',
            'PO4',
            'REF',
            'SAC',
            'DTM',
            'TD5',
            'SDQ',
            'ACK',
            'MTX',
            'AMT',
          ],
        },
      ],
    },
  };
}

/** 850 Purchase Order, 855 Purchase Order Acknowledgment: loops as data. */
export const TS850 = purchaseOrderSpec('850', 'Purchase Order', 'BEG');
export const TS855 = purchaseOrderSpec('855', 'Purchase Order Acknowledgment', 'BAK');

/** DTM qualifiers (element 374) of the date the order is required by. */
const REQUIRED_BY = ['002', '010', '037', '038', '074'];

function purchaseOrder(body: X12Loop, ctx: X12MapContext, header: 'BEG' | 'BAK'): CanonicalRecord[] {
  const h = body.first(header);
  const externalId = required(h, 3, 'purchase order number', header);
  const orderDate = header === 'BEG' ? timestampOf(h, 5, undefined, ctx) : timestampOf(h, 4, undefined, ctx);
  const requiredBy = REQUIRED_BY.map((q) => body.first('DTM', { element: 1, is: q })).find(Boolean);
  const requiredAt = timestampOf(requiredBy, 2, 3, ctx);
  const currency = value(body.first('CUR'), 2);
  const lines = body
    .loops('PO1')
    .map((l) => line(l.first('PO1') as X12Positioned, l, { quantity: 2, price: 4, idsFrom: 6 }));
  const parties = partiesOf(body, ctx.partner.customerSource);
  const status =
    header === 'BAK'
      ? (ACK_TYPE[value(h, 2) ?? ''] ?? `acknowledgement ${value(h, 2)}`)
      : (PURPOSE[value(h, 1) ?? ''] ?? `purpose ${value(h, 1)}`);
  const carrier = value(body.first('TD5'), 3) ?? value(body.first('TD5'), 5);
  const payload: OrderUpsertedV1 = {
    externalId,
    ...customerOf(body, ctx, ['BY', 'BT', 'ST']),
    ...(parties.length ? { parties } : {}),
    status,
    orderedAt: orderDate ?? ctx.sentAt,
    ...(orderDate ? {} : { orderedAtBasis: 'received' as const }),
    ...(requiredAt ? { requiredAt } : {}),
    ...(carrier ? { carrier } : {}),
    ...(currency ? { currency } : {}),
    ...(lines.length ? { lines } : {}),
  };
  return [{ type: 'order.upserted', key: externalId, occurredAt: orderDate ?? ctx.sentAt, payload }];
}

/**
 * 850 → `order.upserted`: PO number BEG03, ordered BEG05, status from BEG01, required by DTM
 * 002/010/037/038/074, currency CUR02, lines PO1 (quantity PO102, unit price PO104, SKU by qualifier
 * from PO106/PO107 pairs, description PID05), parties from N1 with ids, carrier TD503/TD505.
 */
export const ts850: X12Mapper = {
  spec: TS850,
  produces: 'order.upserted',
  map: (b, c) => purchaseOrder(b, c, 'BEG'),
};
/** 855 → the same order with the seller's answer as its status (BAK02: AC, AD, AK, RJ…). */
export const ts855: X12Mapper = {
  spec: TS855,
  produces: 'order.upserted',
  map: (b, c) => purchaseOrder(b, c, 'BAK'),
};

/** 940 Warehouse Shipping Order: W05 header, N1 parties, N9, G62 dates, W66 carrier, LX/W01 items. */
export const TS940: X12SetSpec = {
  type: '940',
  name: 'Warehouse Shipping Order',
  body: {
    id: 'header',
    segments: ['W05', 'N9', 'G62', 'NTE', 'W66', 'W76', 'FOB'],
    loops: [
      N1_LOOP,
      { id: 'LX', start: 'LX', segments: ['W01', 'G69', 'N9', 'W20', 'G62', 'NTE', 'AMT'] },
      { id: 'W01', start: 'W01', segments: ['G69', 'N9', 'W20', 'NTE'] },
    ],
  },
};

/** G62 date qualifiers (element 432): 04 PO date; 02 delivery requested; 10 requested ship. */
const G62_ORDERED = '04';
const G62_REQUIRED = ['02', '10', '53', '54'];

/**
 * 940 → `order.upserted`: the depositor's order W0502 (the partner, a customer of the 3PL, asks the
 * warehouse to ship it), PO W0503 kept in the status text, ordered G62 04 (else when received),
 * required G62 02 / 10, carrier W6605 / W6610, lines LX/W01 (quantity W0101, SKU by qualifier from
 * W0104/W0105 pairs or the UPC W0103, description G69); the ship-to N1 ST as consignee.
 */
export const ts940: X12Mapper = {
  spec: TS940,
  produces: 'order.upserted',
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
    const w05 = body.first('W05');
    const externalId = required(w05, 2, 'depositor order number', 'W05');
    const orderedAt = timestampOf(body.first('G62', { element: 1, is: G62_ORDERED }), 2, 4, ctx);
    const requiredAt = G62_REQUIRED.map((q) =>
      timestampOf(body.first('G62', { element: 1, is: q }), 2, 4, ctx),
    ).find(Boolean);
    const itemLoops = [...body.loops('LX'), ...body.loops('W01')];
    const lines = itemLoops.flatMap((l) =>
      l.all('W01').map((w01) => line(w01, l, { quantity: 1, idsFrom: 4, upc: 3 })),
    );
    const w66 = body.first('W66');
    const carrier = value(w66, 5) ?? value(w66, 10);
    const parties = partiesOf(body, ctx.partner.customerSource).filter((p) => p.role !== 'supplier');
    const payload: OrderUpsertedV1 = {
      externalId,
      ...customerOf(body, ctx, ['DE', 'BY', 'BT']),
      ...(parties.length ? { parties } : {}),
      status: value(w05, 1) === 'N' ? 'new' : `order status ${value(w05, 1)}`,
      orderedAt: orderedAt ?? ctx.sentAt,
      ...(orderedAt ? {} : { orderedAtBasis: 'received' as const }),
      ...(requiredAt ? { requiredAt } : {}),
      ...(carrier ? { carrier } : {}),
      ...(lines.length ? { lines } : {}),
    };
    return [{ type: 'order.upserted', key: externalId, occurredAt: orderedAt ?? ctx.sentAt, payload }];
  },
};
