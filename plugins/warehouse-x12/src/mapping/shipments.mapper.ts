import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  customerOf,
  numberOf,
  partiesOf,
  required,
  timestampOf,
  value,
  X12Loop,
  X12MapContext,
  X12Mapper,
  X12MappingError,
  X12SetSpec,
} from '@tradelane/connector-sdk/edi';
import type { DeliveryStatusChangedV1, PackageV1 } from '@tradelane/contracts';

const N1_LOOP = { id: 'N1', start: 'N1', segments: ['N2', 'N3', 'N4', 'REF', 'PER', 'FOB'] } as const;

/**
 * 856 Ship Notice/Manifest: BSN, then HL levels (S shipment, O order, T tare, P pack, I item) kept
 * flat in order; {@link hierarchy} rebuilds the tree from HL01/HL02.
 */
export const TS856: X12SetSpec = {
  type: '856',
  name: 'Ship Notice/Manifest',
  body: {
    id: 'header',
    segments: ['BSN', 'DTM', 'CTT'],
    loops: [
      {
        id: 'HL',
        start: 'HL',
        segments: [
          'LIN',
          'SN1',
          'SLN',
          'PRF',
          'PO4',
          'PID',
          'MEA',
          'PWK',
          'PKG',
          'TD1',
          'TD5',
          'TD3',
          'TD4',
          'REF',
          'PER',
          'MAN',
          'DTM',
          'FOB',
          'CUR',
          'SAC',
        ],
        loops: [N1_LOOP],
      },
    ],
  },
};

interface Level {
  id: string;
  parent?: string;
  code: string;
  loop: X12Loop;
  children: Level[];
}

/** The HL tree: each level under its parent (HL02); a parent that is not there is a mapping error. */
export function hierarchy(body: X12Loop): Level[] {
  const levels = body.loops('HL').map((loop): Level => {
    const hl = loop.first('HL');
    return {
      id: required(hl, 1, 'hierarchical id'),
      ...(value(hl, 2) ? { parent: value(hl, 2) } : {}),
      code: required(hl, 3, 'hierarchical level code'),
      loop,
      children: [],
    };
  });
  const byId = new Map(levels.map((l) => [l.id, l]));
  const roots: Level[] = [];
  for (const l of levels) {
    if (!l.parent) roots.push(l);
    else {
      const parent = byId.get(l.parent);
      if (!parent)
        throw new X12MappingError(
          `HL ${l.id} names parent ${l.parent}, which is not in the set`,
          l.loop.first('HL'),
          2,
          '7',
        );
      parent.children.push(l);
    }
  }
  return roots;
}

const below = (l: Level, code: string): Level[] =>
  l.children.flatMap((c) => [...(c.code === code ? [c] : []), ...below(c, code)]);

/** Packs (HL P, and tares T) as packages: the SSCC from MAN GM (else the first MAN), weight PO4 / MEA. */
function packagesOf(order: Level): PackageV1[] {
  return [...below(order, 'T'), ...below(order, 'P')].flatMap((p): PackageV1[] => {
    const man = p.loop.first('MAN', { element: 1, is: 'GM' }) ?? p.loop.first('MAN');
    const ref = value(man, 2);
    if (!ref) return [];
    const po4 = p.loop.first('PO4');
    const lb = value(po4, 7) === 'LB' ? numberOf(po4, 6) : undefined;
    const kg =
      value(po4, 7) === 'KG'
        ? numberOf(po4, 6)
        : lb !== undefined
          ? Math.round(lb * 0.45359237 * 1000) / 1000
          : undefined;
    return [
      {
        ref,
        ...(kg !== undefined ? { weightKg: kg } : {}),
        ...(value(man, 1) === 'GM' ? { type: 'SSCC' } : {}),
      },
    ];
  });
}

/**
 * 856 → one `delivery.status-changed` per order level (HL O): despatched, so PICKED_UP at the ship
 * date (DTM 011, else BSN03/BSN04), the shipment BSN02 (with the order's PRF01 when the notice
 * carries several orders), the order PRF01, packs with their SSCC (MAN GM) and weight, tracking
 * references REF BM / CN and TD3 equipment, the carrier TD503 / TD505, parties from N1 with ids
 * (ship-from SF, ship-to ST, the order's buyer BY). BSN01 03 (delete) cancels.
 */
export const ts856: X12Mapper = {
  spec: TS856,
  produces: 'delivery.status-changed',
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
    const bsn = body.first('BSN');
    const shipmentId = required(bsn, 2, 'shipment id', 'BSN');
    const roots = hierarchy(body);
    const shipment = roots.find((r) => r.code === 'S');
    if (!shipment)
      throw new X12MappingError(
        'the ship notice has no shipment level (HL03 S)',
        body.loops('HL')[0]?.first('HL'),
        3,
        '7',
      );
    const s = shipment.loop;
    const shippedAt =
      timestampOf(
        s.first('DTM', { element: 1, is: '011' }) ?? body.first('DTM', { element: 1, is: '011' }),
        2,
        3,
        ctx,
      ) ??
      timestampOf(bsn, 3, 4, ctx) ??
      ctx.sentAt;
    const orders = below(shipment, 'O');
    if (!orders.length)
      throw new X12MappingError('the ship notice has no order level (HL03 O)', s.first('HL'), 3, '7');
    const trackingRefs = [
      ...new Set(
        [
          ...s.all('REF', { element: 1, is: ['BM', 'CN'] }).map((r) => value(r, 2)),
          value(s.first('TD3'), 3),
        ].filter((v): v is string => !!v),
      ),
    ];
    const td5 = s.first('TD5');
    const carrier = value(td5, 3) ?? value(td5, 5);
    const cancelled = value(bsn, 1) === '03';
    return orders.map((order) => {
      const orderId = value(order.loop.first('PRF'), 1);
      const externalId = orders.length > 1 && orderId ? `${shipmentId}/${orderId}` : shipmentId;
      const parties = [
        ...partiesOf(s, ctx.partner.customerSource),
        ...partiesOf(order.loop, ctx.partner.customerSource),
      ];
      const packages = packagesOf(order);
      const customer = ctx.partner.customerExternalId
        ? customerOf(order.loop, ctx, [])
        : (() => {
            const by = order.loop.loops('N1').find((n) => value(n.first('N1'), 1) === 'BY');
            const id = value(by?.first('N1'), 4);
            return id ? { customerExternalId: id } : {};
          })();
      const payload: DeliveryStatusChangedV1 = {
        externalId,
        status: cancelled ? 'CANCELLED' : 'PICKED_UP',
        sourceStatus: `856 BSN01 ${value(bsn, 1)}`,
        ...(orderId
          ? { orderExternalId: orderId, ...(ctx.orderSource ? { orderSource: ctx.orderSource } : {}) }
          : {}),
        ...customer,
        ...(parties.length ? { parties } : {}),
        ...(carrier ? { carrier } : {}),
        ...(trackingRefs.length ? { trackingRefs } : {}),
        ...(cancelled ? {} : { pickedUpAt: shippedAt }),
        ...(packages.length ? { packages } : {}),
      };
      if (!payload.orderExternalId && !payload.customerExternalId)
        throw new X12MappingError(
          `order level HL ${order.id} names neither its order (PRF01) nor a buyer with an id (N1 BY N104), and the partner has no customer`,
          order.loop.first('HL'),
        );
      return { type: 'delivery.status-changed', key: externalId, occurredAt: shippedAt, payload };
    });
  },
};

/** 945 Warehouse Shipping Advice: W06, N1, G62, W27 carrier, LX/W12 items, W03 totals. */
export const TS945: X12SetSpec = {
  type: '945',
  name: 'Warehouse Shipping Advice',
  body: {
    id: 'header',
    segments: ['W06', 'N9', 'G62', 'W27', 'W10', 'W03'],
    loops: [N1_LOOP, { id: 'LX', start: 'LX', segments: ['MAN', 'W12', 'N9', 'G69', 'W20'] }],
  },
};

/**
 * 945 → `delivery.status-changed`: the warehouse shipped the depositor's order W0602 (PICKED_UP at
 * W0603, shipment W0604 or the order), carrier W2702 (SCAC) / W2703, packages from MAN GM in the
 * item loops, tracking W0605 and BM references.
 */
export const ts945: X12Mapper = {
  spec: TS945,
  produces: 'delivery.status-changed',
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
    const w06 = body.first('W06');
    const orderId = required(w06, 2, 'depositor order number', 'W06');
    const externalId = value(w06, 4) ?? orderId;
    const shippedAt = timestampOf(w06, 3, undefined, ctx) ?? ctx.sentAt;
    const w27 = body.first('W27');
    const carrier = value(w27, 2) ?? value(w27, 3);
    const refs = [value(w06, 5), ...body.all('N9', { element: 1, is: ['BM', 'CN'] }).map((n) => value(n, 2))];
    const trackingRefs = [...new Set(refs.filter((v): v is string => !!v))];
    const packages = body
      .loops('LX')
      .flatMap((lx) => lx.all('MAN', { element: 1, is: 'GM' }))
      .map((m) => value(m, 2))
      .filter((v): v is string => !!v)
      .map((ref) => ({ ref, type: 'SSCC' }));
    const parties = partiesOf(body, ctx.partner.customerSource);
    const payload: DeliveryStatusChangedV1 = {
      externalId,
      status: 'PICKED_UP',
      sourceStatus: `945 W0601 ${value(w06, 1)}`,
      orderExternalId: orderId,
      ...(ctx.orderSource ? { orderSource: ctx.orderSource } : {}),
      ...(ctx.partner.customerExternalId ? customerOf(body, ctx, []) : {}),
      ...(parties.length ? { parties } : {}),
      ...(carrier ? { carrier } : {}),
      ...(trackingRefs.length ? { trackingRefs } : {}),
      pickedUpAt: shippedAt,
      ...(packages.length ? { packages } : {}),
    };
    return [{ type: 'delivery.status-changed', key: externalId, occurredAt: shippedAt, payload }];
  },
};

/** 861 Receiving Advice/Acceptance Certificate: BRA, DTM, PRF, REF, N1, RCD lines with LIN. */
export const TS861: X12SetSpec = {
  type: '861',
  name: 'Receiving Advice/Acceptance Certificate',
  body: {
    id: 'header',
    segments: ['BRA', 'CUR', 'REF', 'PER', 'DTM', 'PRF', 'TD1', 'TD5', 'TD3'],
    loops: [
      N1_LOOP,
      { id: 'RCD', start: 'RCD', segments: ['SN1', 'LIN', 'PO4', 'PID', 'REF', 'DTM', 'PRF'] },
    ],
  },
};

/**
 * 861 → `delivery.status-changed` DELIVERED: the consignee received the shipment. The delivery is
 * the shipment it names (REF BM / SI / CN, else the receipt BRA01), received BRA02 (else DTM 050),
 * the order PRF01 (header or first line) in `orderSource`, N1 parties with ids.
 */
export const ts861: X12Mapper = {
  spec: TS861,
  produces: 'delivery.status-changed',
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
    const bra = body.first('BRA');
    const receipt = required(bra, 1, 'receiving advice number', 'BRA');
    const externalId = value(body.first('REF', { element: 1, is: ['BM', 'SI', 'CN'] }), 2) ?? receipt;
    const at =
      timestampOf(bra, 2, undefined, ctx) ??
      timestampOf(body.first('DTM', { element: 1, is: '050' }), 2, 3, ctx) ??
      ctx.sentAt;
    const order =
      value(body.first('PRF'), 1) ??
      body
        .loops('RCD')
        .map((l) => value(l.first('PRF'), 1))
        .find(Boolean);
    const parties = partiesOf(body, ctx.partner.customerSource);
    const customer = ctx.partner.customerExternalId ? customerOf(body, ctx, []) : {};
    if (!order && !('customerExternalId' in customer))
      throw new X12MappingError(
        'the receiving advice names neither its order (PRF01) nor a customer (the partner has none)',
        bra,
      );
    const payload: DeliveryStatusChangedV1 = {
      externalId,
      status: 'DELIVERED',
      sourceStatus: `861 ${receipt}`.slice(0, 100),
      ...(order
        ? { orderExternalId: order, ...(ctx.orderSource ? { orderSource: ctx.orderSource } : {}) }
        : {}),
      ...customer,
      ...(parties.length ? { parties } : {}),
      deliveredAt: at,
    };
    return [{ type: 'delivery.status-changed', key: externalId, occurredAt: at, payload }];
  },
};
