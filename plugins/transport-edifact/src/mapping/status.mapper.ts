import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  EdifactLoop,
  EdifactMapContext,
  EdifactMapper,
  EdifactMappingError,
  EdifactMessageSpec,
  edifactDateOf,
  edifactParties,
  edifactValue,
} from '@tradelane/connector-sdk/edi';
import type { DeliveryException, DeliveryStatus, DeliveryStatusChangedV1 } from '@tradelane/contracts';

/** IFTSTA (D.00B and earlier): header references and parties, CNI consignments with STS statuses. */
export const IFTSTA: EdifactMessageSpec = {
  type: 'IFTSTA',
  name: 'International multimodal status report',
  body: {
    id: 'header',
    segments: ['BGM', 'DTM', 'TSR', 'FTX', 'NAD', 'CTA', 'COM', 'RFF', 'LOC'],
    groups: [
      {
        id: 'CNI',
        start: 'CNI',
        segments: ['LOC', 'CNT', 'DTM', 'RFF', 'NAD', 'FTX'],
        groups: [
          {
            id: 'STS',
            start: 'STS',
            segments: ['RFF', 'DTM', 'DOC', 'FTX', 'NAD', 'LOC', 'PCI'],
            groups: [
              { id: 'TDT', start: 'TDT', segments: ['LOC', 'DTM', 'RFF'] },
              { id: 'EQD', start: 'EQD', segments: ['MEA', 'DIM', 'SEL', 'EQA'] },
              { id: 'GID', start: 'GID', segments: ['HAN', 'MEA', 'PCI', 'SGP'] },
            ],
          },
        ],
      },
    ],
  },
};

/**
 * STS status descriptions (C556: 9011 code and 4405 text) → delivery status. Carriers code them
 * from several lists, so the text decides where the code is unknown: words as data, not ifs.
 */
const STATUS_WORDS: readonly [RegExp, DeliveryStatus, DeliveryException?][] = [
  [/\b(delivered|proof of delivery|pod)\b/i, 'DELIVERED'],
  [/\b(out for delivery|on vehicle for delivery)\b/i, 'OUT_FOR_DELIVERY'],
  [/\b(damaged?)\b/i, 'EXCEPTION', 'DAMAGE'],
  [/\b(lost|missing)\b/i, 'EXCEPTION', 'LOSS'],
  [/\b(refused|rejected by consignee)\b/i, 'EXCEPTION', 'REFUSED'],
  [/\b(delay(ed)?|held|hold)\b/i, 'EXCEPTION', 'DELAY'],
  [/\b(returned)\b/i, 'RETURNED'],
  [/\b(cancel+ed)\b/i, 'CANCELLED'],
  [/\b(picked up|collected|pick-up|received from shipper)\b/i, 'PICKED_UP'],
  [/\b(depart|arriv|transit|load|discharg|gate|rail|vessel|transship)/i, 'IN_TRANSIT'],
  [/\b(booked|booking|planned)\b/i, 'PLANNED'],
  [/\b(exception)\b/i, 'EXCEPTION', 'OTHER'],
  [/\b(created|registered)\b/i, 'CREATED'],
];

/** UN/EDIFACT 4405 codes carriers commonly send (UNTDID), by code. */
const STATUS_CODES: Readonly<Record<string, DeliveryStatus>> = {
  '21': 'DELIVERED',
  '22': 'DELIVERED',
  '8': 'PICKED_UP',
  '1': 'IN_TRANSIT',
  '24': 'IN_TRANSIT',
  '15': 'OUT_FOR_DELIVERY',
};

function statusOf(
  code: string | undefined,
  text: string | undefined,
): Pick<DeliveryStatusChangedV1, 'status' | 'exceptionType'> | undefined {
  for (const [re, status, exceptionType] of STATUS_WORDS)
    if (text && re.test(text)) return { status, ...(exceptionType ? { exceptionType } : {}) };
  const byCode = code ? STATUS_CODES[code] : undefined;
  return byCode ? { status: byCode } : undefined;
}

/** Shipment references (RFF 1153) in the order we take the shipment id from. */
const SHIPMENT_REFS = ['BM', 'CN', 'FF', 'BN', 'AAZ'];

/**
 * IFTSTA → one `delivery.status-changed` per STS: the shipment from the RFF BM / CN / FF / BN of the
 * status (else of the consignment, else of the message), status from the 4405 text or code
 * (STATUS_WORDS, STATUS_CODES), event time DTM 334 (else 178/132/137), location LOC 175 (else the
 * status's first LOC) by name, containers (EQD, RFF EQ) as tracking references, carrier NAD CA.
 */
export const iftsta: EdifactMapper = {
  spec: IFTSTA,
  produces: 'delivery.status-changed',
  map(body: EdifactLoop, ctx: EdifactMapContext): CanonicalRecord[] {
    const records: CanonicalRecord[] = [];
    const ref = (loop: EdifactLoop, q: string) => loop.value('RFF', 1, 1, q);
    const carrier = edifactValue(body.first('NAD', 'CA'), 4) ?? edifactValue(body.first('NAD', 'CA'), 2);
    for (const cni of body.groups('CNI'))
      for (const sts of cni.groups('STS')) {
        const seg = sts.first('STS');
        const code = edifactValue(seg, 2, 0);
        const text = edifactValue(seg, 2, 3);
        const status = statusOf(code, text);
        if (!seg || !status)
          throw new EdifactMappingError(
            `status "${code ?? ''}${text ? ` ${text}` : ''}" is not one this reader maps`,
            seg,
            2,
            1,
          );
        const shipment = SHIPMENT_REFS.map((q) => ref(sts, q) ?? ref(cni, q) ?? ref(body, q)).find(Boolean);
        if (!shipment)
          throw new EdifactMappingError(
            'the status names no shipment (RFF BM, CN, FF, BN or AAZ)',
            seg,
            undefined,
            undefined,
            '13',
          );
        const at =
          edifactDateOf(sts, ['334', '178', '132'], ctx) ?? edifactDateOf(body, ['137'], ctx) ?? ctx.sentAt;
        const loc = sts.first('LOC', '175') ?? sts.first('LOC');
        const location = loc ? (edifactValue(loc, 2, 3) ?? edifactValue(loc, 2, 0)) : undefined;
        const containers = [
          ...sts.groups('EQD').map((e) => edifactValue(e.first('EQD'), 2)),
          ref(sts, 'EQ'),
        ].filter((x): x is string => !!x);
        const order = ref(sts, 'ON') ?? ref(cni, 'ON') ?? ref(body, 'ON') ?? ref(body, 'CO') ?? shipment;
        const parties = edifactParties(body, ctx.partner.customerSource);
        const payload: DeliveryStatusChangedV1 = {
          externalId: shipment,
          ...status,
          sourceStatus: [code, text].filter(Boolean).join(' ').slice(0, 100),
          orderExternalId: order,
          ...(ctx.orderSource ? { orderSource: ctx.orderSource } : {}),
          ...(ctx.partner.customerExternalId
            ? {
                customerExternalId: ctx.partner.customerExternalId,
                ...(ctx.partner.customerSource ? { customerSource: ctx.partner.customerSource } : {}),
              }
            : {}),
          ...(parties.length ? { parties } : {}),
          ...(carrier ? { carrier } : {}),
          ...(containers.length ? { trackingRefs: [...new Set(containers)] } : {}),
          ...(location ? { location: location.slice(0, 200) } : {}),
          ...(status.status === 'DELIVERED' ? { deliveredAt: at } : {}),
          ...(status.status === 'PICKED_UP' ? { pickedUpAt: at } : {}),
        };
        records.push({ type: 'delivery.status-changed', key: shipment, occurredAt: at, payload });
      }
    if (!records.length) throw new EdifactMappingError('the status report carries no status (no CNI/STS)');
    return records;
  },
};
