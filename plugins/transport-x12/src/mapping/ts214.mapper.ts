import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
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
import type { DeliveryStatusChangedV1 } from '@tradelane/contracts';
import { AT7_APPOINTMENT_PROMISE, AT7_REASON_EXCEPTION, AT7_STATUS } from './status-codes';

const N1_LOOP = { id: 'N1', start: 'N1', segments: ['N2', 'N3', 'N4', 'G62', 'L11', 'G61'] } as const;
const AT7_LOOP = { id: 'AT7', start: 'AT7', segments: ['MS1', 'MS2'] } as const;

/** 214 Transportation Carrier Shipment Status Message (4010/5010): its loops as data. */
export const TS214: X12SetSpec = {
  type: '214',
  name: 'Transportation Carrier Shipment Status',
  body: {
    id: 'header',
    segments: ['B10', 'L11', 'MAN', 'K1'],
    loops: [
      N1_LOOP,
      // Some carriers send AT7 without LX (not to the standard, but common): read it the same way.
      AT7_LOOP,
      {
        id: 'LX',
        start: 'LX',
        segments: ['L11', 'MAN', 'Q7', 'K1', 'AT5', 'AT8'],
        loops: [AT7_LOOP, N1_LOOP],
      },
    ],
  },
};

/** Where the shipment is: MS1 city, state, country; or the position (MS104/MS105) when that is all. */
function locationOf(at7: X12Loop): string | undefined {
  const ms1 = at7.first('MS1');
  if (!ms1) return undefined;
  const place = [value(ms1, 1), value(ms1, 2), value(ms1, 3)].filter(Boolean).join(', ');
  if (place) return place;
  const [lon, lat] = [value(ms1, 4), value(ms1, 5)];
  return lon && lat ? `${lon}, ${lat}` : undefined;
}

function statusOf(
  at7: X12Loop,
): Pick<DeliveryStatusChangedV1, 'status' | 'exceptionType' | 'sourceStatus' | 'note'> {
  const seg = at7.first('AT7') as NonNullable<ReturnType<X12Loop['first']>>;
  const code = value(seg, 1);
  const reason = value(seg, 2);
  const appointment = value(seg, 3);
  const sourceStatus = [code ?? '', reason ?? '', appointment ?? '', value(seg, 4) ?? '']
    .join('/')
    .replace(/\/+$/, '');
  if (!code) {
    if (appointment && AT7_APPOINTMENT_PROMISE.has(appointment))
      return { status: 'PLANNED', sourceStatus, note: `appointment ${appointment}` };
    throw new X12MappingError(
      'neither a shipment status (AT701) nor an appointment (AT703) is given',
      seg,
      1,
      '1',
    );
  }
  const known = AT7_STATUS[code];
  const why = reason && reason !== 'NS' ? AT7_REASON_EXCEPTION[reason] : undefined;
  const note = `${known?.what ?? `status ${code}`}${reason && reason !== 'NS' ? ` (reason ${reason})` : ''}`;
  if (!known) return { status: 'IN_TRANSIT', sourceStatus, note };
  if (known.status === 'EXCEPTION')
    return { status: 'EXCEPTION', exceptionType: why ?? known.exception, sourceStatus, note };
  // A reason that says something went wrong turns an in-flight status into an exception; a
  // delivered or returned shipment keeps its status (the reason is in the note).
  if (why && ['PLANNED', 'PICKED_UP', 'IN_TRANSIT', 'OUT_FOR_DELIVERY'].includes(known.status))
    return { status: 'EXCEPTION', exceptionType: why, sourceStatus, note };
  return { status: known.status, sourceStatus, note };
}

/**
 * 214 → one `delivery.status-changed` per AT7: the shipment (B1002, else B1001) with its carrier
 * (B1003 / MS201), status by AT7_STATUS and the reason table, event time AT705/AT706 in the time
 * code's zone (AT707, else the partner's), position from MS1, the order it fulfils (L11 PO/ON/CO,
 * else the shipper's shipment id B1002) in the instance's `orderSource`.
 */
export const ts214: X12Mapper = {
  spec: TS214,
  produces: 'delivery.status-changed',
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
    const b10 = body.first('B10');
    const externalId = value(b10, 2) ?? required(b10, 1, 'shipment id (B1002 or B1001)', 'B10');
    const orderRef = body.first('L11', { element: 2, is: ['PO', 'ON', 'CO'] });
    const orderExternalId = value(orderRef, 1) ?? value(b10, 2) ?? externalId;
    const statuses = [...body.loops('AT7'), ...body.loops('LX').flatMap((lx) => lx.loops('AT7'))];
    if (!statuses.length) throw new X12MappingError('the 214 carries no status (no AT7 segment)');
    const carrier = value(b10, 3) ?? statuses.map((a) => value(a.first('MS2'), 1)).find(Boolean);
    const trackingRefs = [
      ...new Set(
        [value(b10, 1), ...statuses.map((a) => value(a.first('MS2'), 2))].filter(
          (v): v is string => !!v && v !== externalId,
        ),
      ),
    ];
    const parties = partiesOf(body, ctx.partner.customerSource);
    return statuses.map((at7) => {
      const seg = at7.first('AT7');
      const at = timestampOf(seg, 5, 6, ctx, 7) ?? ctx.sentAt;
      const s = statusOf(at7);
      const payload: DeliveryStatusChangedV1 = {
        externalId,
        ...s,
        orderExternalId,
        ...(ctx.orderSource ? { orderSource: ctx.orderSource } : {}),
        ...(ctx.partner.customerExternalId
          ? {
              customerExternalId: ctx.partner.customerExternalId,
              ...(ctx.partner.customerSource ? { customerSource: ctx.partner.customerSource } : {}),
            }
          : {}),
        ...(parties.length ? { parties } : {}),
        ...(carrier ? { carrier } : {}),
        ...(trackingRefs.length ? { trackingRefs } : {}),
        ...(s.status === 'PICKED_UP' ? { pickedUpAt: at } : {}),
        ...(s.status === 'DELIVERED' ? { deliveredAt: at } : {}),
        ...(!value(seg, 1) && value(seg, 3) ? { promisedTo: at } : {}),
        ...(locationOf(at7) ? { location: locationOf(at7) } : {}),
      };
      return { type: 'delivery.status-changed', key: externalId, occurredAt: at, payload };
    });
  },
};
