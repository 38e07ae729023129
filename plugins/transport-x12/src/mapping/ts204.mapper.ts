import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  customerOf,
  partiesOf,
  required,
  timestampOf,
  value,
  X12Loop,
  X12MapContext,
  X12Mapper,
  X12SetSpec,
} from '@tradelane/connector-sdk/edi';
import type { OrderUpsertedV1 } from '@tradelane/contracts';

const N1_LOOP = { id: 'N1', start: 'N1', segments: ['N2', 'N3', 'N4', 'G61', 'REF'] } as const;

/** 204 Motor Carrier Load Tender: header, N1 parties, S5 stops (with their N1, G62 windows, OID). */
export const TS204: X12SetSpec = {
  type: '204',
  name: 'Motor Carrier Load Tender',
  body: {
    id: 'header',
    segments: ['B2', 'B2A', 'L11', 'G62', 'MS3', 'AT5', 'PLD', 'NTE', 'N7', 'MEA', 'L3'],
    loops: [
      N1_LOOP,
      {
        id: 'S5',
        start: 'S5',
        segments: ['L11', 'G62', 'AT8', 'LAD', 'AT5', 'PLD', 'NTE', 'OID', 'L5', 'G61'],
        loops: [N1_LOOP],
      },
    ],
  },
};

/** B2A01 transaction set purpose → order status. */
const PURPOSE: Readonly<Record<string, string>> = {
  '00': 'tendered',
  '01': 'cancelled',
  '04': 'changed',
  '05': 'replaced',
};

/** S5 stop reasons that deliver (unload): their windows are when the load is required. */
const UNLOAD = new Set(['CU', 'UL', 'PU']);

/**
 * 204 → `order.upserted`: the load (B204 shipment id) tendered by the partner (its customer),
 * status from B2A01, ordered at the group date, required by the last unload stop's G62 window end,
 * the stops' parties (ship-from SF → shipper, ship-to ST → consignee, where N104 gives an id), SCAC
 * B202 as the carrier. No order lines: a tender moves freight, it does not sell goods.
 */
export const ts204: X12Mapper = {
  spec: TS204,
  produces: 'order.upserted',
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
    const b2 = body.first('B2');
    const externalId = required(b2, 4, 'shipment id', 'B2');
    const stops = body.loops('S5');
    const unloads = stops.filter((s) => UNLOAD.has(value(s.first('S5'), 2) ?? ''));
    const windows = (unloads.length ? unloads : stops.slice(-1)).flatMap((s) => s.all('G62'));
    const requiredAt = windows
      .map((g) => timestampOf(g, 2, 4, ctx, 5))
      .filter(Boolean)
      .sort()
      .pop();
    const parties = [body, ...stops].flatMap((l) => partiesOf(l, ctx.partner.customerSource));
    const carrier = value(b2, 2);
    const payload: OrderUpsertedV1 = {
      externalId,
      ...customerOf(body, ctx, ['SH', 'BT']),
      status: PURPOSE[value(body.first('B2A'), 1) ?? '00'] ?? 'tendered',
      orderedAt: ctx.sentAt,
      orderedAtBasis: 'received',
      ...(requiredAt ? { requiredAt } : {}),
      ...(carrier ? { carrier } : {}),
      ...(parties.length
        ? {
            parties: parties.filter(
              (p, i) =>
                parties.findIndex(
                  (q) => q.role === p.role && q.customerExternalId === p.customerExternalId,
                ) === i,
            ),
          }
        : {}),
    };
    return [{ type: 'order.upserted', key: externalId, occurredAt: ctx.sentAt, payload }];
  },
};
