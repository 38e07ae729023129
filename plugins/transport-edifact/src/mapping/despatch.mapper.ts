import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  EdifactLoop,
  EdifactMapContext,
  EdifactMapper,
  EdifactMappingError,
  EdifactMessageSpec,
  edifactCustomer,
  edifactDateOf,
  edifactParties,
  edifactRequired,
  edifactValue,
} from '@tradelane/connector-sdk/edi';
import type { DeliveryStatusChangedV1, PackageV1 } from '@tradelane/contracts';

const LINE = {
  id: 'LIN',
  start: 'LIN',
  segments: ['PIA', 'IMD', 'MEA', 'QTY', 'ALI', 'GIN', 'DTM', 'FTX', 'RFF', 'LOC', 'PCI'],
} as const;

/** DESADV: header, NAD parties, TDT, CPS packing levels with PAC/PCI/GIN and LIN items. */
export const DESADV: EdifactMessageSpec = {
  type: 'DESADV',
  name: 'Despatch advice',
  body: {
    id: 'header',
    segments: [
      'BGM',
      'DTM',
      'ALI',
      'MEA',
      'MOA',
      'RFF',
      'NAD',
      'LOC',
      'CTA',
      'COM',
      'TOD',
      'TDT',
      'EQD',
      'SEL',
    ],
    groups: [
      {
        id: 'CPS',
        start: 'CPS',
        segments: ['FTX'],
        groups: [
          { id: 'PAC', start: 'PAC', segments: ['MEA', 'QTY', 'HAN', 'PCI', 'RFF', 'DTM', 'GIN'] },
          LINE,
        ],
      },
    ],
  },
};

/** RECADV: header, NAD parties, CPS with LIN items received (QTY 48 received, 194 accepted…). */
export const RECADV: EdifactMessageSpec = {
  type: 'RECADV',
  name: 'Receiving advice',
  body: {
    id: 'header',
    segments: ['BGM', 'DTM', 'RFF', 'NAD', 'LOC', 'CTA', 'COM', 'TDT'],
    groups: [{ id: 'CPS', start: 'CPS', segments: ['PAC', 'FTX'], groups: [LINE] }],
  },
};

/** GIN identity qualifiers (7405): BJ is the SSCC of a package; ML marking labels, AW serial. */
function packagesOf(body: EdifactLoop): PackageV1[] {
  const out: PackageV1[] = [];
  for (const cps of body.groups('CPS'))
    for (const pac of cps.groups('PAC'))
      for (const gin of pac.all('GIN'))
        for (let e = 2; e < gin.elements.length; e++) {
          const ref = edifactValue(gin, e, 0);
          const kind = edifactValue(gin, 1);
          if (ref && !out.some((p) => p.ref === ref))
            out.push({ ref: ref.slice(0, 100), type: kind === 'BJ' ? 'SSCC' : `GIN ${kind}` });
        }
  return out;
}

/** The order a despatch or receipt is for: RFF ON of the header, else of the first line. */
const orderOf = (body: EdifactLoop) =>
  body.value('RFF', 1, 1, 'ON') ??
  body
    .deep('LIN')
    .map((l) => l.value('RFF', 1, 1, 'ON'))
    .find(Boolean);

/**
 * DESADV → `delivery.status-changed` PICKED_UP: the despatch advice number BGM 1004, despatched DTM
 * 11 (else the message date 137), estimated arrival DTM 132 as the promise, the order RFF ON (header
 * or line), packages from the GIN of the PAC levels (BJ: SSCC), NAD parties with ids, carrier TDT.
 */
export const desadv: EdifactMapper = {
  spec: DESADV,
  produces: 'delivery.status-changed',
  map(body: EdifactLoop, ctx: EdifactMapContext): CanonicalRecord[] {
    const id = edifactRequired(body.first('BGM'), 2, 0, 'despatch advice number (BGM 1004)', 'BGM');
    const at = edifactDateOf(body, ['11', '137'], ctx) ?? ctx.sentAt;
    const eta = edifactDateOf(body, ['132', '17'], ctx);
    const order = orderOf(body);
    const packages = packagesOf(body);
    const parties = edifactParties(body, ctx.partner.customerSource);
    const carrier = edifactValue(body.first('TDT'), 5, 0);
    const customer = ctx.partner.customerExternalId
      ? {
          customerExternalId: ctx.partner.customerExternalId,
          ...(ctx.partner.customerSource ? { customerSource: ctx.partner.customerSource } : {}),
        }
      : (() => {
          const by = edifactValue(body.first('NAD', 'BY'), 2);
          return by ? { customerExternalId: by } : {};
        })();
    if (!order && !('customerExternalId' in customer))
      throw new EdifactMappingError(
        'the despatch names neither its order (RFF ON) nor a buyer with an id (NAD BY), and the partner has no customer',
        body.first('BGM'),
      );
    const payload: DeliveryStatusChangedV1 = {
      externalId: id,
      status: 'PICKED_UP',
      sourceStatus: `DESADV ${edifactValue(body.first('BGM'), 1) ?? ''}`.trim(),
      ...(order
        ? { orderExternalId: order, ...(ctx.orderSource ? { orderSource: ctx.orderSource } : {}) }
        : {}),
      ...customer,
      ...(parties.length ? { parties } : {}),
      ...(carrier ? { carrier } : {}),
      ...(eta ? { promisedTo: eta > at ? eta : at } : {}),
      pickedUpAt: at,
      ...(packages.length ? { packages: packages.slice(0, 500) } : {}),
    };
    return [{ type: 'delivery.status-changed', key: id, occurredAt: at, payload }];
  },
};

/**
 * RECADV → `delivery.status-changed` DELIVERED: the goods arrived and were counted. The delivery is
 * the despatch advice it answers (RFF AAK), else the receipt (BGM 1004); delivered DTM 50 (goods
 * receipt), else the message date; the order RFF ON (header or line); NAD parties with ids.
 */
export const recadv: EdifactMapper = {
  spec: RECADV,
  produces: 'delivery.status-changed',
  map(body: EdifactLoop, ctx: EdifactMapContext): CanonicalRecord[] {
    const receipt = edifactRequired(body.first('BGM'), 2, 0, 'receiving advice number (BGM 1004)', 'BGM');
    const id = body.value('RFF', 1, 1, 'AAK') ?? receipt;
    const at = edifactDateOf(body, ['50', '137'], ctx) ?? ctx.sentAt;
    const order =
      orderOf(body) ??
      body
        .deep('LIN')
        .map((l) => l.value('RFF', 1, 1, 'VN'))
        .find(Boolean);
    const parties = edifactParties(body, ctx.partner.customerSource);
    const customer = ctx.partner.customerExternalId
      ? {
          customerExternalId: ctx.partner.customerExternalId,
          ...(ctx.partner.customerSource ? { customerSource: ctx.partner.customerSource } : {}),
        }
      : edifactCustomer(body, ctx, ['BY', 'DP']);
    const payload: DeliveryStatusChangedV1 = {
      externalId: id,
      status: 'DELIVERED',
      sourceStatus: `RECADV ${receipt}`.slice(0, 100),
      ...(order
        ? { orderExternalId: order, ...(ctx.orderSource ? { orderSource: ctx.orderSource } : {}) }
        : {}),
      ...customer,
      ...(parties.length ? { parties } : {}),
      deliveredAt: at,
    };
    return [{ type: 'delivery.status-changed', key: id, occurredAt: at, payload }];
  },
};
