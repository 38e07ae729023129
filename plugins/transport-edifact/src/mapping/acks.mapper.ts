import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  EdifactLoop,
  EdifactMapContext,
  EdifactMapper,
  EdifactMessageSpec,
  edifactValue,
} from '@tradelane/connector-sdk/edi';

/** CONTRL: UCI, then UCM messages with UCS / UCD errors (and UCF groups). */
export const CONTRL: EdifactMessageSpec = {
  type: 'CONTRL',
  name: 'Syntax and service report',
  body: {
    id: 'header',
    segments: ['UCI'],
    groups: [
      { id: 'UCM', start: 'UCM', segments: [], groups: [{ id: 'UCS', start: 'UCS', segments: ['UCD'] }] },
      { id: 'UCF', start: 'UCF', segments: [] },
    ],
  },
};

/** APERAK: BGM, DTM, RFF, NAD, then ERC errors with FTX texts. */
export const APERAK: EdifactMessageSpec = {
  type: 'APERAK',
  name: 'Application error and acknowledgement',
  body: {
    id: 'header',
    segments: ['BGM', 'DTM', 'FTX', 'CNT', 'RFF', 'NAD', 'CTA', 'COM'],
    groups: [{ id: 'ERC', start: 'ERC', segments: ['FTX', 'RFF'] }],
  },
};

const ACTIONS: Readonly<Record<string, string>> = { '4': 'rejected', '7': 'acknowledged', '8': 'received' };

/** What a partner's CONTRL says about one of our interchanges, for the log (no record). */
export const contrl: EdifactMapper = {
  spec: CONTRL,
  produces: 'order.upserted',
  map(body: EdifactLoop, ctx: EdifactMapContext): CanonicalRecord[] {
    const uci = body.first('UCI');
    const messages = body.groups('UCM').map((m) => {
      const ucm = m.first('UCM');
      const errors = m.groups('UCS').map(
        (s) =>
          `${edifactValue(s.first('UCS'), 1)}${s
            .all('UCD')
            .map((d) => ` el ${edifactValue(d, 2, 0)} code ${edifactValue(d, 1)}`)
            .join('')}`,
      );
      return `${edifactValue(ucm, 1)} ${ACTIONS[edifactValue(ucm, 3) ?? ''] ?? edifactValue(ucm, 3)}${errors.length ? ` [${errors.join('; ')}]` : ''}`;
    });
    ctx.note(
      `the partner reports on interchange ${edifactValue(uci, 1)}: ${ACTIONS[edifactValue(uci, 4) ?? ''] ?? edifactValue(uci, 4)}${edifactValue(uci, 5) ? ` (error ${edifactValue(uci, 5)})` : ''}${messages.length ? `; ${messages.join(', ')}` : ''}`,
    );
    return [];
  },
};

/** What a partner's APERAK says about one of our messages, for the log (no record). */
export const aperak: EdifactMapper = {
  spec: APERAK,
  produces: 'order.upserted',
  map(body: EdifactLoop, ctx: EdifactMapContext): CanonicalRecord[] {
    const about = body.value('RFF', 1, 1, ['ACW', 'ON', 'AAU']) ?? body.value('BGM', 2);
    const errors = body
      .groups('ERC')
      .map((e) => `${edifactValue(e.first('ERC'), 1)}: ${e.value('FTX', 4, 0) ?? ''}`.trim());
    ctx.note(
      `the partner reports application errors on ${about ?? '(no reference)'}: ${errors.join('; ') || 'none named'}`,
    );
    return [];
  },
};
