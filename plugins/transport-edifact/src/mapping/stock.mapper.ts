import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  EdifactLoop,
  EdifactMapContext,
  EdifactMapper,
  EdifactMappingError,
  EdifactMessageSpec,
  edifactCustomer,
  edifactDateOf,
  edifactNumber,
  edifactRequired,
  edifactValue,
} from '@tradelane/connector-sdk/edi';
import type { StockLevelChangedV1, StockStatus } from '@tradelane/contracts';

/** INVRPT: header (BGM, DTM, NAD, LOC), LIN items with PIA, QTY per status, LOC, DTM. */
export const INVRPT: EdifactMessageSpec = {
  type: 'INVRPT',
  name: 'Inventory report',
  body: {
    id: 'header',
    segments: ['BGM', 'DTM', 'RFF', 'NAD', 'CTA', 'COM', 'LOC', 'CUX'],
    groups: [
      {
        id: 'LIN',
        start: 'LIN',
        segments: ['PIA', 'IMD', 'MEA', 'RFF', 'DTM', 'GIN'],
        groups: [
          { id: 'INV', start: 'INV', segments: ['QTY', 'LOC', 'DTM', 'NAD', 'RFF'] },
          { id: 'QTY', start: 'QTY', segments: ['LOC', 'DTM', 'NAD', 'RFF', 'GIN'] },
        ],
      },
    ],
  },
};

/** QTY 6063 qualifiers of an inventory report and the status they report (EANCOM INVRPT). */
const QTY_STATUS: Readonly<Record<string, StockStatus>> = {
  '145': 'available', // actual stock
  '156': 'on-hold', // blocked
  '198': 'available', // quantity on hand
  '17': 'available',
  '33': 'available',
  '124': 'damaged', // damaged goods
  '192': 'allocated', // picked / reserved
};

/**
 * INVRPT → one `stock.level-changed` (reason `reported`) per item and QTY with a status qualifier
 * (145/198 available, 156 blocked → on hold, 124 damaged, 192 allocated), at the QTY's LOC (else the
 * report's LOC / NAD warehouse), SKU LIN C212 (else PIA), lot GIN BX / PIA with NB, as of DTM 366
 * (else 137).
 */
export const invrpt: EdifactMapper = {
  spec: INVRPT,
  produces: 'stock.level-changed',
  map(body: EdifactLoop, ctx: EdifactMapContext): CanonicalRecord[] {
    const report = edifactRequired(body.first('BGM'), 2, 0, 'report number (BGM 1004)', 'BGM');
    const asOf = edifactDateOf(body, ['366', '137'], ctx) ?? ctx.sentAt;
    const who = edifactCustomer(body, ctx, ['BY', 'GY', 'SU']);
    const defaultWarehouse =
      edifactValue(body.first('LOC'), 2, 0) ??
      edifactValue(body.first('NAD', ['WH', 'GY']), 2) ??
      ctx.partner.name;
    const out: CanonicalRecord[] = [];
    body.groups('LIN').forEach((lin, n) => {
      const linSeg = lin.first('LIN');
      const sku = edifactValue(linSeg, 3, 0) ?? edifactValue(lin.first('PIA'), 2, 0);
      if (!sku)
        throw new EdifactMappingError('the item names no product (LIN C212 or PIA)', linSeg, 3, 1, '13');
      const lot = lin.value('GIN', 2, 0, 'BX') ?? lin.value('PIA', 2, 0, '1');
      for (const q of [...lin.groups('QTY'), ...lin.groups('INV').map((i) => i)]) {
        const qty = q.first('QTY');
        const status = QTY_STATUS[edifactValue(qty, 1, 0) ?? ''];
        const quantity = edifactNumber(edifactValue(qty, 1, 1));
        if (!status || quantity === undefined) continue;
        const warehouse = edifactValue(q.first('LOC'), 2, 0) ?? defaultWarehouse;
        const unit = edifactValue(qty, 1, 2);
        const payload: StockLevelChangedV1 = {
          externalId: `${report}/${n + 1}/${warehouse}/${status}`,
          ...who,
          sku,
          ...(lot ? { lot } : {}),
          warehouse,
          status,
          quantity,
          ...(unit ? { unit } : {}),
          reason: 'reported',
          asOf,
          sourceReason: `QTY ${edifactValue(qty, 1, 0)}`,
        };
        out.push({ type: 'stock.level-changed', key: `${warehouse}/${sku}`, occurredAt: asOf, payload });
      }
    });
    return out;
  },
};
