import type { CanonicalRecord } from '../../define-connector';
import { X12MapContext, X12Mapper } from './x12.inbound';
import { value, X12Loop, X12SetSpec } from './x12.transaction';

function ackSpec(type: '997' | '999', name: string, prefix: 'AK' | 'IK'): X12SetSpec {
  return {
    type,
    name,
    body: {
      id: 'header',
      segments: ['AK1', 'AK9'],
      loops: [
        {
          id: 'AK2',
          start: 'AK2',
          segments: [`${prefix}5`],
          loops: [{ id: `${prefix}3`, start: `${prefix}3`, segments: [`${prefix}4`, 'CTX'] }],
        },
      ],
    },
  };
}

export const TS997 = ackSpec('997', 'Functional Acknowledgment', 'AK');
export const TS999 = ackSpec('999', 'Implementation Acknowledgment', 'IK');

/**
 * What a partner's acknowledgement says about a group we sent, as a line for the log: the group
 * (AK1), its verdict (AK9) and every set it rejected with the segment and element named. No record:
 * acknowledgements are about our interchanges, not the customer's business.
 */
export function ackSummary(body: X12Loop, prefix: 'AK' | 'IK'): string {
  const ak1 = body.first('AK1');
  const sets = body.loops('AK2').map((ak2) => {
    const verdict = value(ak2.first(`${prefix}5`), 1) ?? '?';
    const errors = ak2.loops(`${prefix}3`).map(
      (l) =>
        `${value(l.first(`${prefix}3`), 1)}@${value(l.first(`${prefix}3`), 2)}${l
          .all(`${prefix}4`)
          .map((e) => ` el ${value(e, 1)} code ${value(e, 3)}`)
          .join('')}`,
    );
    return `${value(ak2.first('AK2'), 1)} ${value(ak2.first('AK2'), 2)} ${verdict}${errors.length ? ` [${errors.join('; ')}]` : ''}`;
  });
  return `group ${value(ak1, 1)} ${value(ak1, 2)}: ${value(body.first('AK9'), 1) ?? '?'}; ${sets.join(', ')}`;
}

function ackMapper(spec: X12SetSpec, prefix: 'AK' | 'IK'): X12Mapper {
  return {
    spec,
    produces: 'delivery.status-changed',
    map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
      ctx.note(`the partner acknowledges ${ackSummary(body, prefix)}`);
      return [];
    },
  };
}

export const ts997 = ackMapper(TS997, 'AK');
export const ts999 = ackMapper(TS999, 'IK');
