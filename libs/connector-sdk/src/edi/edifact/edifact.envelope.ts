import { EdifactDelimiters, EdifactSegment, EdifactSyntaxError, tokenizeEdifact } from './edifact.reader';

/**
 * What is wrong, at the level a CONTRL reports it: `interchange` (UCI), `group` (UCF), `message`
 * (UCM), `segment` (UCS), `element` (UCD); `code` is a syntax error code (data element 0085: 12
 * invalid value, 13 missing, 29 control count does not match, 28 references do not match, 21
 * invalid character, 35 too many repetitions…). An `error` rejects its level; a `warning` is noted.
 */
export interface EdifactProblem {
  level: 'interchange' | 'group' | 'message' | 'segment' | 'element';
  severity: 'error' | 'warning';
  code: string;
  message: string;
  /** The segment, with its position in the message (UNH is 1). */
  segment?: { tag: string; position: number };
  element?: { position: number; component?: number; value?: string };
  /** A control count or reference that disagrees, or a missing UNZ/UNE: the partner's tolerance decides. */
  count?: true;
}

export interface EdifactParty {
  id: string;
  qualifier: string;
}

export interface EdifactMessage {
  /** UNH 0062 message reference. */
  reference: string;
  /** UNH S009: type (0065), version, release, agency, association code. */
  type: string;
  version: string;
  release: string;
  agency: string;
  association?: string;
  /** UNH … UNT (UNT absent when the trailer is missing); `segments[0]` is position 1. */
  segments: EdifactSegment[];
  problems: EdifactProblem[];
}

export interface EdifactGroup {
  /** UNG 0038 (the message type of the group), 0048 reference; absent when there is no UNG. */
  functionalId?: string;
  reference?: string;
  messages: EdifactMessage[];
  problems: EdifactProblem[];
}

export interface EdifactInterchange {
  /** UNB S001: syntax identifier and version. */
  syntax: string;
  syntaxVersion: string;
  sender: EdifactParty;
  recipient: EdifactParty;
  date: string;
  time: string;
  /** UNB 0020. */
  control: string;
  /** UNB 0026 application reference, 0035 test indicator (1 = test). */
  application?: string;
  test: boolean;
  groups: EdifactGroup[];
  problems: EdifactProblem[];
  byteOffset: number;
}

export interface EdifactDocument {
  delimiters: EdifactDelimiters;
  interchanges: EdifactInterchange[];
}

const v = (s: EdifactSegment, e: number, c = 0): string => (s.elements[e]?.[c] ?? '').trim();
const same = (a: string, b: string) =>
  a === b || (/^\d+$/.test(a) && /^\d+$/.test(b) && BigInt(a) === BigInt(b));

/** UNB … UNZ, UNG … UNE, UNH … UNT with their control counts and references checked. */
export function readEdifact(text: string, byteOffset: (index: number) => number = (i) => i): EdifactDocument {
  const { delimiters, segments } = tokenizeEdifact(text, byteOffset);
  const interchanges: EdifactInterchange[] = [];
  let ic: EdifactInterchange | undefined;
  let group: EdifactGroup | undefined;
  let msg: EdifactMessage | undefined;
  /** Message references seen, per interchange (its index): a Set, for interchanges of many messages. */
  const references = new Set<string>();
  const first = segments[0];
  if (!first || (first.tag !== 'UNB' && first.tag !== 'UNA'))
    throw new EdifactSyntaxError(
      first
        ? `the interchange does not start with UNA or UNB but ${first.tag || 'nothing readable'}`
        : 'the file is empty',
      byteOffset(first?.offset ?? 0),
    );
  const implicitGroup = (): EdifactGroup => {
    if (!ic) throw new Error('no interchange');
    if (!group) {
      group = { messages: [], problems: [] };
      ic.groups.push(group);
    }
    return group;
  };
  const closeMessage = (by: string) => {
    if (!msg) return;
    msg.problems.push({
      level: 'message',
      severity: 'error',
      code: '13',
      message: `message ${msg.type} ${msg.reference} has no UNT trailer (${by} came first)`,
    });
    msg = undefined;
  };
  const closeGroup = (by: string) => {
    closeMessage(by);
    if (group?.reference !== undefined)
      group.problems.push({
        level: 'group',
        severity: 'warning',
        code: '13',
        count: true,
        message: `group ${group.reference} has no UNE trailer (${by} came first)`,
      });
    group = undefined;
  };
  const closeInterchange = (by: string) => {
    closeGroup(by);
    if (ic)
      ic.problems.push({
        level: 'interchange',
        severity: 'warning',
        code: '13',
        count: true,
        message: `interchange ${ic.control || '(no reference)'} has no UNZ trailer (${by} came first)`,
      });
    ic = undefined;
  };
  for (const s of segments) {
    switch (s.tag) {
      case 'UNB': {
        closeInterchange(`a new UNB at byte ${byteOffset(s.offset)}`);
        ic = {
          syntax: v(s, 1, 0),
          syntaxVersion: v(s, 1, 1),
          sender: { id: v(s, 2, 0), qualifier: v(s, 2, 1) },
          recipient: { id: v(s, 3, 0), qualifier: v(s, 3, 1) },
          date: v(s, 4, 0),
          time: v(s, 4, 1),
          control: v(s, 5),
          ...(v(s, 7) ? { application: v(s, 7) } : {}),
          test: v(s, 11) === '1',
          groups: [],
          problems: [],
          byteOffset: byteOffset(s.offset),
        };
        const missing = [
          ['S001 syntax identifier', ic.syntax],
          ['S002 sender', ic.sender.id],
          ['S003 recipient', ic.recipient.id],
        ].filter(([, x]) => !x);
        // Without 0020 the interchange is still readable; it cannot be told from a duplicate.
        if (!ic.control)
          ic.problems.push({
            level: 'interchange',
            severity: 'warning',
            code: '13',
            message: 'UNB 0020 interchange control reference is missing (duplicates cannot be detected)',
          });
        for (const [what] of missing)
          ic.problems.push({
            level: 'interchange',
            severity: 'error',
            code: '13',
            message: `UNB ${what} is missing`,
          });
        if (ic.date && !/^(\d{6}|\d{8})$/.test(ic.date))
          ic.problems.push({
            level: 'interchange',
            severity: 'warning',
            code: '12',
            message: `UNB S004 date "${ic.date}" is not YYMMDD (or CCYYMMDD)`,
          });
        interchanges.push(ic);
        break;
      }
      case 'UNG': {
        if (!ic) throw new EdifactSyntaxError('UNG outside an interchange', byteOffset(s.offset));
        closeGroup('a new UNG');
        group = { functionalId: v(s, 1), reference: v(s, 5), messages: [], problems: [] };
        ic.groups.push(group);
        break;
      }
      case 'UNH': {
        if (!ic) throw new EdifactSyntaxError('UNH outside an interchange', byteOffset(s.offset));
        closeMessage('a new UNH');
        msg = {
          reference: v(s, 1),
          type: v(s, 2, 0),
          version: v(s, 2, 1),
          release: v(s, 2, 2),
          agency: v(s, 2, 3),
          ...(v(s, 2, 4) ? { association: v(s, 2, 4) } : {}),
          segments: [s],
          problems: [],
        };
        if (!msg.reference)
          msg.problems.push({
            level: 'message',
            severity: 'error',
            code: '13',
            message: 'UNH 0062 message reference is missing',
          });
        if (!msg.type)
          msg.problems.push({
            level: 'message',
            severity: 'error',
            code: '13',
            message: 'UNH S009 message type is missing',
          });
        if (references.has(`${interchanges.length}/${msg.reference}`))
          msg.problems.push({
            level: 'message',
            severity: 'warning',
            code: '26',
            message: `UNH 0062 ${msg.reference} is used twice in interchange ${ic.control}`,
          });
        references.add(`${interchanges.length}/${msg.reference}`);
        implicitGroup().messages.push(msg);
        break;
      }
      case 'UNT': {
        if (!msg) {
          implicitGroup().problems.push({
            level: 'group',
            severity: 'warning',
            code: '14',
            message: `a UNT at byte ${byteOffset(s.offset)} without its UNH`,
          });
          break;
        }
        msg.segments.push(s);
        const n = msg.segments.length;
        if (!same(v(s, 1), String(n)))
          msg.problems.push({
            level: 'message',
            severity: 'warning',
            code: '29',
            count: true,
            message: `UNT 0074 says ${v(s, 1) || 'nothing'} segments, the message has ${n}`,
          });
        if (v(s, 2) !== msg.reference)
          msg.problems.push({
            level: 'message',
            severity: 'warning',
            code: '28',
            count: true,
            message: `UNT 0062 ${v(s, 2) || '(empty)'} does not match UNH 0062 ${msg.reference}`,
          });
        msg = undefined;
        break;
      }
      case 'UNE': {
        const g = group;
        closeMessage('UNE');
        if (g?.reference !== undefined) {
          if (!same(v(s, 1), String(g.messages.length)))
            g.problems.push({
              level: 'group',
              severity: 'warning',
              code: '29',
              count: true,
              message: `UNE 0060 says ${v(s, 1)} messages, the group has ${g.messages.length}`,
            });
          if (v(s, 2) !== g.reference)
            g.problems.push({
              level: 'group',
              severity: 'warning',
              code: '28',
              count: true,
              message: `UNE 0048 ${v(s, 2)} does not match UNG 0048 ${g.reference}`,
            });
        }
        group = undefined;
        break;
      }
      case 'UNZ': {
        if (!ic) break;
        closeGroup('UNZ');
        const messages = ic.groups.reduce((n, g) => n + g.messages.length, 0);
        const counted = ic.groups.some((g) => g.reference !== undefined) ? ic.groups.length : messages;
        if (!same(v(s, 1), String(counted)))
          ic.problems.push({
            level: 'interchange',
            severity: 'warning',
            code: '29',
            count: true,
            message: `UNZ 0036 says ${v(s, 1) || 'nothing'}, the interchange has ${counted} ${counted === messages ? 'messages' : 'groups'}`,
          });
        if (v(s, 2) !== ic.control)
          ic.problems.push({
            level: 'interchange',
            severity: 'warning',
            code: '28',
            count: true,
            message: `UNZ 0020 ${v(s, 2) || '(empty)'} does not match UNB 0020 ${ic.control || '(empty)'}`,
          });
        ic = undefined;
        break;
      }
      default:
        if (msg) msg.segments.push(s);
        else if (ic)
          ic.problems.push({
            level: 'interchange',
            severity: 'warning',
            code: '14',
            message: `segment ${s.tag} at byte ${byteOffset(s.offset)} is outside a message: ignored`,
          });
    }
  }
  closeInterchange('the end of the file');
  // A UNB with nothing in it (a stray, broken one before the real interchange) is noted, not kept.
  const kept = interchanges.filter((x) => x.groups.some((g) => g.messages.length));
  const stray = interchanges.filter((x) => !kept.includes(x));
  for (const s of stray)
    (kept[0]?.problems ?? []).push({
      level: 'interchange',
      severity: 'warning',
      code: '32',
      message: `an interchange header at byte ${s.byteOffset} with no message in it is ignored`,
    });
  if (!kept.length)
    throw new EdifactSyntaxError('the interchange holds no message (UNH)', interchanges[0]?.byteOffset ?? 0);
  return { delimiters, interchanges: kept };
}
