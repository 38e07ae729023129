import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  required,
  timestampOf,
  value,
  X12Loop,
  X12MapContext,
  X12Mapper,
  X12MappingError,
  X12SetSpec,
} from '@tradelane/connector-sdk/edi';
import type { DeliveryStatusChangedV1 } from '@tradelane/contracts';

/** 990 Response to a Load Tender: B1, N9 references, V9 event, K1 remarks. */
export const TS990: X12SetSpec = {
  type: '990',
  name: 'Response to a Load Tender',
  body: { id: 'header', segments: ['B1', 'N9', 'V9', 'K1', 'L11', 'N7'] },
};

/** B104 reservation action → the carrier's delivery of the load. */
const RESPONSE: Readonly<Record<string, { status: DeliveryStatusChangedV1['status']; what: string }>> = {
  A: { status: 'PLANNED', what: 'tender accepted' },
  D: { status: 'CANCELLED', what: 'tender declined' },
  C: { status: 'CREATED', what: 'counter-offer' },
  R: { status: 'CREATED', what: 'tender response delayed' },
};

/**
 * 990 → `delivery.status-changed` of the carrier's delivery of the tendered load (B102, the load we
 * tendered, is also the order): accepted → PLANNED, declined → CANCELLED (this carrier will not move
 * it), counter-offer → CREATED with the K1 remarks as the note. SCAC from B101 (trimmed: some carriers
 * pad it).
 */
export const ts990: X12Mapper = {
  spec: TS990,
  produces: 'delivery.status-changed',
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
    const b1 = body.first('B1');
    const load = required(b1, 2, 'shipment id of the tender', 'B1');
    const action = required(b1, 4, 'reservation action (A accept, D decline, C counter)', 'B1');
    const response = RESPONSE[action];
    if (!response)
      throw new X12MappingError(`reservation action "${action}" is not A, D, C or R`, b1, 4, '7');
    const at = timestampOf(b1, 3, undefined, ctx) ?? ctx.sentAt;
    const remarks = body
      .all('K1')
      .map((k) => value(k, 1))
      .filter(Boolean)
      .join(' ');
    const carrier = value(b1, 1);
    const payload: DeliveryStatusChangedV1 = {
      externalId: load,
      status: response.status,
      sourceStatus: `B104 ${action}`,
      orderExternalId: load,
      ...(ctx.orderSource ? { orderSource: ctx.orderSource } : {}),
      ...(carrier ? { carrier } : {}),
      note: remarks ? `${response.what}: ${remarks}`.slice(0, 500) : response.what,
    };
    return [{ type: 'delivery.status-changed', key: load, occurredAt: at, payload }];
  },
};
