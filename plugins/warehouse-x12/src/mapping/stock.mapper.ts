import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  customerOf,
  numberOf,
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
import type { StockLevelChangedV1, StockStatus } from '@tradelane/contracts';

const N1_LOOP = { id: 'N1', start: 'N1', segments: ['N2', 'N3', 'N4', 'REF', 'PER'] } as const;

/** Product id qualifiers (element 235) in the order we take the SKU from. */
const SKU_QUALIFIERS = ['VN', 'SK', 'BP', 'VC', 'IN', 'UP', 'EN', 'UK', 'UI'];

const skuOf = (seg: X12Positioned, first: number) => productIdOf(seg, first, SKU_QUALIFIERS);

/** The warehouse of a document: N1 WH (else the first N1 with an id) N104, else the partner's name. */
function warehouseOf(body: X12Loop, ctx: X12MapContext): string {
  const n1s = body.loops('N1').map((l) => l.first('N1'));
  const wh = n1s.find((s) => value(s, 1) === 'WH' && value(s, 4)) ?? n1s.find((s) => value(s, 4));
  return value(wh, 4) ?? ctx.partner.name;
}

const customer = (body: X12Loop, ctx: X12MapContext) => customerOf(body, ctx, ['DE', 'BY', 'SU']);

/**
 * QTY01 quantity qualifiers (element 673) of an 846 and the status they report: on hand and
 * available for sale are available stock, on hold and damaged their own; others are not levels.
 */
const QTY_STATUS: Readonly<Record<string, StockStatus>> = {
  '17': 'available', // quantity on hand
  '33': 'available', // quantity available for sale
  QH: 'on-hold', // quantity on hold
  '74': 'damaged', // damaged goods
};

/** 846 Inventory Inquiry/Advice: BIA, DTM, N1 parties, LIN items with QTY and SDQ (by location). */
export const TS846: X12SetSpec = {
  type: '846',
  name: 'Inventory Inquiry/Advice',
  body: {
    id: 'header',
    segments: ['BIA', 'CUR', 'REF', 'PER', 'DTM'],
    loops: [
      N1_LOOP,
      { id: 'LIN', start: 'LIN', segments: ['PID', 'MEA', 'DTM', 'QTY', 'SDQ', 'CTP', 'REF'] },
    ],
  },
};

/**
 * 846 → one `stock.level-changed` (reason `reported`, the level itself) per item and location:
 * each SDQ pair (location SDQ03/05…, quantity SDQ04/06…) is available stock there; each QTY with a
 * status qualifier (17/33 available, QH on hold, 74 damaged) is the level at the warehouse of the
 * advice (N1 WH). SKU by LIN qualifier (VN, SK, BP…), as of DTM 166 (else BIA04/BIA05).
 */
export const ts846: X12Mapper = {
  spec: TS846,
  produces: 'stock.level-changed',
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
    const bia = body.first('BIA');
    const report = required(bia, 3, 'inventory advice reference', 'BIA');
    const asOf =
      timestampOf(body.first('DTM', { element: 1, is: ['166', '007'] }), 2, 3, ctx) ??
      timestampOf(bia, 4, 5, ctx) ??
      ctx.sentAt;
    const warehouse = warehouseOf(body, ctx);
    const who = customer(body, ctx);
    const out: CanonicalRecord[] = [];
    body.loops('LIN').forEach((lin, n) => {
      const seg = lin.first('LIN') as X12Positioned;
      const sku = skuOf(seg, 2);
      if (!sku) throw new X12MappingError('the item names no product (LIN02/LIN03)', seg, 3, '1');
      const level = (at: string, status: StockStatus, quantity: number, unit?: string, code?: string) => {
        const payload: StockLevelChangedV1 = {
          externalId: `${report}/${n + 1}/${at}/${status}`,
          ...who,
          sku,
          warehouse: at,
          status,
          quantity,
          ...(unit ? { unit } : {}),
          reason: 'reported',
          asOf,
          ...(code ? { sourceReason: code } : {}),
        };
        out.push({ type: 'stock.level-changed', key: `${warehouse}/${sku}`, occurredAt: asOf, payload });
      };
      for (const sdq of lin.all('SDQ'))
        for (let i = 3; i + 1 < sdq.elements.length; i += 2) {
          const location = value(sdq, i);
          const quantity = numberOf(sdq, i + 1);
          if (location && quantity !== undefined)
            level(location, 'available', quantity, value(sdq, 1), 'SDQ');
        }
      for (const qty of lin.all('QTY')) {
        const status = QTY_STATUS[value(qty, 1) ?? ''];
        const quantity = numberOf(qty, 2);
        if (status && quantity !== undefined)
          level(warehouse, status, quantity, value(qty, 3), `QTY ${value(qty, 1)}`);
      }
    });
    return out;
  },
};

/** 944 Warehouse Stock Transfer Receipt Advice: W17, N1, W08, W07 items with N9 / W20, W14 totals. */
export const TS944: X12SetSpec = {
  type: '944',
  name: 'Warehouse Stock Transfer Receipt Advice',
  body: {
    id: 'header',
    segments: ['W17', 'N9', 'G62', 'W08', 'W14'],
    loops: [
      N1_LOOP,
      { id: 'W07', start: 'W07', segments: ['G69', 'N9', 'W20'] },
      {
        id: 'LX',
        start: 'LX',
        segments: [],
        loops: [{ id: 'W07', start: 'W07', segments: ['G69', 'N9', 'W20'] }],
      },
    ],
  },
};

/**
 * 944 → one `stock.level-changed` per W07 (reason `received`, a change): quantity W0701 received into
 * available stock at the warehouse (N1 WH N104), SKU by W0704/W0705 (else the UPC W0703), lot W0708,
 * unit W0702, on the receipt date W1702.
 */
export const ts944: X12Mapper = {
  spec: TS944,
  produces: 'stock.level-changed',
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
    const w17 = body.first('W17');
    const receipt = required(w17, 3, 'warehouse receipt number', 'W17');
    const asOf = timestampOf(w17, 2, undefined, ctx) ?? ctx.sentAt;
    const warehouse = warehouseOf(body, ctx);
    const who = customer(body, ctx);
    const items = [...body.loops('W07'), ...body.loops('LX').flatMap((lx) => lx.loops('W07'))];
    return items.map((item, n) => {
      const w07 = item.first('W07') as X12Positioned;
      const sku = skuOf(w07, 4) ?? value(w07, 3);
      if (!sku)
        throw new X12MappingError('the receipt line names no product (W0704/W0705 or W0703)', w07, 5, '1');
      const lot = value(w07, 8);
      const unit = value(w07, 2);
      const payload: StockLevelChangedV1 = {
        externalId: `${receipt}/${n + 1}`,
        ...who,
        sku,
        ...(lot ? { lot } : {}),
        warehouse,
        status: 'available',
        change: numberOf(w07, 1) ?? 0,
        ...(unit ? { unit } : {}),
        reason: 'received',
        asOf,
        sourceReason: `944 W1701 ${value(w17, 1) ?? ''}`.trim(),
      };
      return { type: 'stock.level-changed', key: `${warehouse}/${sku}`, occurredAt: asOf, payload };
    });
  },
};

/** 947 Warehouse Inventory Adjustment Advice: W15, N1, LX items with W19 / N9 / G69. */
export const TS947: X12SetSpec = {
  type: '947',
  name: 'Warehouse Inventory Adjustment Advice',
  body: {
    id: 'header',
    segments: ['W15', 'N9', 'G62'],
    loops: [N1_LOOP, { id: 'LX', start: 'LX', segments: ['W19', 'N9', 'G69', 'W20'] }],
  },
};

/**
 * 947 → one `stock.level-changed` per W19 (reason `adjusted`, a change): the signed credit/debit
 * quantity W1902 on available stock, SKU by W1905/W1906 (else the UPC W1904), lot from the item's
 * N9 LT, the adjustment reason code W1901 kept as written, on the adjustment date W1501.
 */
export const ts947: X12Mapper = {
  spec: TS947,
  produces: 'stock.level-changed',
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
    const w15 = body.first('W15');
    const adjustment = required(w15, 2, 'adjustment number', 'W15');
    const asOf = timestampOf(w15, 1, undefined, ctx) ?? ctx.sentAt;
    const warehouse = warehouseOf(body, ctx);
    const who = customer(body, ctx);
    return body.loops('LX').flatMap((lx, n) =>
      lx.all('W19').map((w19, k) => {
        const sku = skuOf(w19, 5) ?? value(w19, 4);
        if (!sku)
          throw new X12MappingError('the adjustment names no product (W1905/W1906 or W1904)', w19, 6, '1');
        const lot = value(lx.first('N9', { element: 1, is: 'LT' }), 2);
        const unit = value(w19, 3);
        const payload: StockLevelChangedV1 = {
          externalId: `${adjustment}/${n + 1}/${k + 1}`,
          ...who,
          sku,
          ...(lot ? { lot } : {}),
          warehouse,
          status: 'available',
          change: numberOf(w19, 2) ?? 0,
          ...(unit ? { unit } : {}),
          reason: 'adjusted',
          asOf,
          sourceReason: `W1901 ${value(w19, 1)}`,
        };
        return {
          type: 'stock.level-changed',
          key: `${warehouse}/${sku}`,
          occurredAt: asOf,
          payload,
        } as CanonicalRecord;
      }),
    );
  },
};
