import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  EdifactLoop,
  EdifactMapContext,
  EdifactMapper,
  EdifactMessageSpec,
  edifactCustomer,
  edifactDateOf,
  edifactNumber,
  edifactParties,
  edifactRequired,
  edifactValue,
} from '@tradelane/connector-sdk/edi';
import type { OrderLineV1, OrderUpsertedV1 } from '@tradelane/contracts';

const LIN = {
  id: 'LIN',
  start: 'LIN',
  segments: [
    'PIA',
    'IMD',
    'MEA',
    'QTY',
    'ALI',
    'DTM',
    'MOA',
    'GIN',
    'FTX',
    'PRI',
    'RFF',
    'PAC',
    'LOC',
    'TAX',
    'CUX',
    'ALC',
    'TDT',
  ],
} as const;

function orderSpec(type: 'ORDERS' | 'ORDRSP', name: string): EdifactMessageSpec {
  return {
    type,
    name,
    body: {
      id: 'header',
      segments: [
        'BGM',
        'DTM',
        'PAI',
        'ALI',
        'IMD',
        'FTX',
        'RFF',
        'NAD',
        'LOC',
        'FII',
        'CTA',
        'COM',
        'TAX',
        'CUX',
        'PAT',
        'TDT',
        'TOD',
        'PAC',
        'ALC',
        'UNS',
        'MOA',
        'CNT',
      ],
      groups: [LIN],
    },
  };
}

export const ORDERS = orderSpec('ORDERS', 'Purchase order');
export const ORDRSP = orderSpec('ORDRSP', 'Purchase order response');

/** The item number of a line: LIN C212 (7140), else PIA's first product id. */
function skuOf(lin: EdifactLoop): string | undefined {
  return edifactValue(lin.first('LIN'), 3, 0) ?? edifactValue(lin.first('PIA'), 2, 0);
}

/** QTY 21 ordered (else 12 despatched, 113 to be delivered), PRI AAA net (else AAB gross, INV). */
function linesOf(body: EdifactLoop): OrderLineV1[] {
  return body.groups('LIN').flatMap((lin): OrderLineV1[] => {
    const sku = skuOf(lin);
    if (!sku) return [];
    const qty = ['21', '12', '113']
      .map((q) => edifactNumber(lin.value('QTY', 1, 1, q)))
      .find((n) => n !== undefined);
    const price = ['AAA', 'AAB', 'INV']
      .map((q) => edifactNumber(lin.value('PRI', 1, 1, q)))
      .find((n) => n !== undefined);
    const description = lin.value('IMD', 3, 3) ?? lin.value('FTX', 4, 0);
    return [
      {
        sku: sku.slice(0, 100),
        ...(description ? { description } : {}),
        quantity: qty ?? 0,
        unitPrice: price ?? 0,
      },
    ];
  });
}

/** BGM 1225 message function / LIN 1229 action → order status. */
const FUNCTION: Readonly<Record<string, string>> = {
  '9': 'new',
  '1': 'cancelled',
  '3': 'cancelled',
  '5': 'replaced',
  '4': 'changed',
  '29': 'accepted',
  '27': 'not accepted',
};
const LINE_ACTION: Readonly<Record<string, string>> = {
  '5': 'accepted',
  '3': 'changed',
  '7': 'not accepted',
  '10': 'not found',
};

function order(body: EdifactLoop, ctx: EdifactMapContext, response: boolean): CanonicalRecord[] {
  const bgm = body.first('BGM');
  const own = edifactRequired(
    bgm,
    2,
    0,
    response ? 'response number (BGM 1004)' : 'order number (BGM 1004)',
    'BGM',
  );
  const externalId = response ? (body.value('RFF', 1, 1, 'ON') ?? own) : own;
  const orderedAt = edifactDateOf(body, response ? ['4', '171', '137', '97'] : ['137', '4'], ctx);
  const requiredAt = edifactDateOf(body, ['2', '64', '10'], ctx);
  const lines = linesOf(body);
  const actions = [
    ...new Set(
      body
        .groups('LIN')
        .map((l) => edifactValue(l.first('LIN'), 2))
        .filter(Boolean),
    ),
  ] as string[];
  const status = response
    ? (FUNCTION[edifactValue(bgm, 3) ?? ''] ??
      (actions.length === 1 ? LINE_ACTION[actions[0]] : undefined) ??
      'acknowledged')
    : (FUNCTION[edifactValue(bgm, 3) ?? ''] ?? 'new');
  const parties = edifactParties(body, ctx.partner.customerSource);
  const currency =
    edifactValue(body.first('CUX'), 1, 1) ??
    body
      .groups('LIN')
      .map((l) => l.value('CUX', 1, 1))
      .find(Boolean);
  const payload: OrderUpsertedV1 = {
    externalId,
    ...edifactCustomer(body, ctx, ['BY', 'IV', 'DP']),
    ...(parties.length ? { parties } : {}),
    status,
    orderedAt: orderedAt ?? ctx.sentAt,
    ...(orderedAt ? {} : { orderedAtBasis: 'received' as const }),
    ...(requiredAt ? { requiredAt } : {}),
    ...(currency && /^[A-Z]{3}$/.test(currency) ? { currency } : {}),
    ...(lines.length ? { lines } : { lineCount: body.groups('LIN').length }),
  };
  return [{ type: 'order.upserted', key: externalId, occurredAt: orderedAt ?? ctx.sentAt, payload }];
}

/**
 * ORDERS → `order.upserted`: number BGM 1004, ordered DTM 137 (else 4), required DTM 2/64/10,
 * status from BGM 1225, lines LIN (item C212, else PIA) with QTY 21 and PRI AAA/AAB, description
 * IMD, currency CUX, customer the partner's (else NAD BY / IV / DP with an id), NAD parties.
 */
export const orders: EdifactMapper = {
  spec: ORDERS,
  produces: 'order.upserted',
  map: (b, c) => order(b, c, false),
};

/**
 * ORDRSP → the order it answers (RFF ON, else its own BGM number) with the seller's answer as the
 * status (BGM 1225, else the lines' LIN 1229 action when they agree: 5 accepted, 3 changed, 7 not
 * accepted); lines as in ORDERS, counted when they name no item.
 */
export const ordrsp: EdifactMapper = {
  spec: ORDRSP,
  produces: 'order.upserted',
  map: (b, c) => order(b, c, true),
};

/** IFTMIN (S.93A and later): instructions for one consignment: BGM, DTM, TSR, CNT, NAD, GID goods. */
export const IFTMIN: EdifactMessageSpec = {
  type: 'IFTMIN',
  name: 'Instruction message (transport)',
  body: {
    id: 'header',
    segments: [
      'BGM',
      'CTA',
      'COM',
      'DTM',
      'TSR',
      'CUX',
      'MOA',
      'FTX',
      'CNT',
      'DOC',
      'GDS',
      'RFF',
      'TCC',
      'TDT',
      'LOC',
      'NAD',
    ],
    groups: [
      {
        id: 'GID',
        start: 'GID',
        segments: [
          'HAN',
          'TMP',
          'RNG',
          'TMD',
          'LOC',
          'MOA',
          'PIA',
          'FTX',
          'NAD',
          'GDS',
          'MEA',
          'DIM',
          'RFF',
          'PCI',
          'DOC',
          'GIN',
        ],
      },
    ],
  },
};

/**
 * IFTMIN → `order.upserted`: a transport order from the partner (its customer, else the consignor NAD
 * CZ with an id): number BGM 1004, the shipment date DTM 10 / 2 as when it is required, ordered when
 * received; NAD CZ / CN parties where they carry ids. No lines: it moves goods, it does not sell them.
 */
export const iftmin: EdifactMapper = {
  spec: IFTMIN,
  produces: 'order.upserted',
  map(body: EdifactLoop, ctx: EdifactMapContext): CanonicalRecord[] {
    const externalId = edifactRequired(body.first('BGM'), 2, 0, 'instruction number (BGM 1004)', 'BGM');
    const requiredAt = edifactDateOf(body, ['10', '2', '17'], ctx);
    const parties = edifactParties(body, ctx.partner.customerSource);
    const payload: OrderUpsertedV1 = {
      externalId,
      ...edifactCustomer(body, ctx, ['CZ', 'SH', 'BY']),
      ...(parties.length ? { parties } : {}),
      status: FUNCTION[edifactValue(body.first('BGM'), 3) ?? ''] ?? 'new',
      orderedAt: ctx.sentAt,
      orderedAtBasis: 'received',
      ...(requiredAt ? { requiredAt } : {}),
      lineCount: 0,
    };
    return [{ type: 'order.upserted', key: externalId, occurredAt: ctx.sentAt, payload }];
  },
};
