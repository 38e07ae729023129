import { createHash } from 'node:crypto';
import { ConnectorError } from '../../connector.error';
import { CanonicalRecord, CanonicalType } from '../../define-connector';
import type { EdiContext, TradingPartner } from '../../edi-context';
import { decodeUtf8, NotUtf8Error } from '../../utf8';
import { acknowledgement, statusOf, X12SetVerdict } from './x12.ack';
import { readX12, X12Group, X12Interchange, X12Party, X12Problem, X12TransactionSet } from './x12.envelope';
import { elementError, x12Timestamp } from './x12.segments';
import { x12ControlNumbersFor } from './x12.series';
import { X12Delimiters, X12SyntaxError } from './x12.tokenizer';
import { readTransactionSet, X12Loop, X12Positioned, X12SetSpec } from './x12.transaction';
import { writeX12 } from './x12.writer';

/** The trading partner a mapper works for: the host's registry entry (or one from the instance config). */
export type X12PartnerSettings = TradingPartner;

/** A lookup over a fixed list of partners (instance configuration, tests). */
export function partnersFrom(
  list: readonly TradingPartner[],
): (qualifier: string, interchangeId: string) => Promise<TradingPartner | undefined> {
  return async (qualifier, id) =>
    list.find((p) => p.qualifier === qualifier && p.interchangeId.toUpperCase() === id.toUpperCase());
}

/** Where a mapper found an application error (a value the canonical record cannot take). */
export class X12MappingError extends Error {
  constructor(
    message: string,
    readonly segment?: X12Positioned,
    readonly element?: number,
    /** AK4 code: 7 invalid code value by default. */
    readonly code = '7',
  ) {
    super(message);
    this.name = 'X12MappingError';
  }
}

export interface X12MapContext {
  interchange: X12Interchange;
  group: X12Group;
  set: X12TransactionSet;
  partner: X12PartnerSettings;
  /** The group's date and time (GS04/GS05) in the partner's zone: the event time when the set gives none. */
  sentAt: string;
  /** Connector instance holding the orders the documents refer to (the instance's `orderSource`). */
  orderSource?: string;
  /** A line for the log about this set (what an acknowledgement we received says). */
  note(text: string): void;
}

/** One transaction set type: its loops as data and the pure mapping of the loops to records. */
export interface X12Mapper {
  spec: X12SetSpec;
  /** The record type it gives (that of a rejected set's dead letter). */
  produces: CanonicalType;
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[];
}

/** A file the connector writes back (an acknowledgement), named so that a re-read writes the same file. */
export interface X12OutboundFile {
  name: string;
  text: string;
}

export interface X12InboundResult {
  records: CanonicalRecord[];
  acknowledgements: X12OutboundFile[];
  /** One line per interchange / group / set with what was decided (for the log). */
  notes: string[];
  /** What became of each transaction set: for answers beyond the acknowledgement (a 990 to a 204). */
  sets: X12SetOutcome[];
}

export interface X12SetOutcome {
  interchange: X12Interchange;
  group: X12Group;
  set: X12TransactionSet;
  partner: TradingPartner;
  status: 'A' | 'E' | 'R';
  /** Its records (none when rejected), and why it was rejected. */
  records: CanonicalRecord[];
  reason?: string;
}

/** Control numbers for what we send: the host's series, or (outside a host) derived from `key`. */
export type X12ControlNumbers = EdiContext['controlNumber'];

/** Derived control numbers: stable for a key (a re-read answers with the same numbers), 1…999,999,999. */
export const derivedControlNumbers: X12ControlNumbers = async (series, key) =>
  (Number.parseInt(createHash('sha256').update(`${series}/${key}`).digest('hex').slice(0, 12), 16) %
    999_999_999) +
  1;

/** A hash of an interchange's content (groups and sets, not its envelope's padding): duplicate detection. */
function contentHash(ic: X12Interchange): string {
  const h = createHash('sha256');
  for (const g of ic.groups) {
    h.update(`${g.functionalId}\u0001${g.control}\u0002`);
    for (const set of g.sets)
      for (const seg of set.segments) h.update(`${seg.elements.join('\u0001')}\u0002`);
  }
  return h.digest('hex');
}

/** UTF-8 when the bytes are UTF-8 (BOM skipped), else ISO-8859-1: X12 declares no character set. */
export function decodeX12(body: Buffer): string {
  try {
    return decodeUtf8(body);
  } catch (e) {
    if (e instanceof NotUtf8Error) return body.toString('latin1');
    throw e;
  }
}

const where = (ic: X12Interchange, g: X12Group, s: X12TransactionSet): string =>
  `interchange ${ic.control} group ${g.control || '(none)'} transaction set ${s.type} ${s.control}`;

const fieldOf = (ic: X12Interchange, s: X12TransactionSet, p?: X12Problem): string =>
  `ISA13 ${ic.control} ST02 ${s.control}${p?.segment ? ` ${p.segment.tag}${p.element ? String(p.element.position).padStart(2, '0') : ''} (segment ${p.segment.position})` : ''}`;

/** The rejected set alone in its interchange and group: what a redrive translates again after a fix. */
function alone(ic: X12Interchange, g: X12Group, s: X12TransactionSet, d: X12Delimiters): string {
  const seg = d.segment === '\n' ? '\n' : `${d.segment}\n`;
  const line = (elements: string[]) => elements.join(d.element) + seg;
  const body = s.segments.map((x) => line(x.elements)).join('');
  const trailer =
    s.segments[s.segments.length - 1]?.tag === 'SE'
      ? ''
      : line(['SE', String(s.segments.length + 1), s.control]);
  const isa = [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    ic.sender.qualifier.padEnd(2),
    ic.sender.id.padEnd(15),
    ic.receiver.qualifier.padEnd(2),
    ic.receiver.id.padEnd(15),
    ic.date,
    ic.time,
    d.repetition ?? 'U',
    ic.version,
    ic.control,
    '0',
    ic.test ? 'T' : 'P',
    d.component,
  ];
  return (
    line(isa) +
    line(['GS', g.functionalId, g.sender, g.receiver, g.date, g.time, g.control, 'X', g.version]) +
    body +
    trailer +
    line(['GE', '1', g.control]) +
    line(['IEA', '1', ic.control])
  );
}

/** GS date and time (else ISA's) in the partner's zone; when neither is readable, when the file was taken. */
function sentAt(g: X12Group, ic: X12Interchange, zone: string, receivedAt: string): string {
  const date = /^\d{8}$/.test(g.date) ? g.date : /^\d{6}$/.test(ic.date) ? `20${ic.date}` : undefined;
  const time = /^\d{4}/.test(g.time) ? g.time.slice(0, 4) : /^\d{4}$/.test(ic.time) ? ic.time : '0000';
  if (!date || elementError('DT', date) || elementError('TM', time)) return receivedAt;
  return x12Timestamp(date, time, undefined, zone);
}

/**
 * One received X12 file through the whole inbound path: envelopes read and checked, the sender
 * found among the trading partners (an unknown one refuses the file, kept whole with the reason),
 * each transaction set read by its mapper's loops, element-checked and mapped, and one 997/999
 * per functional group. A set that fails is a rejected record carrying the set alone (a redrive
 * after the fix translates it again) and an `R` in the acknowledgement; the other sets go on.
 */
export async function x12Inbound(
  body: Buffer,
  o: {
    mappers: Readonly<Record<string, X12Mapper>>;
    /** The sender's trading-partner entry (ISA05, ISA06), undefined when it is not a partner. */
    partner: (qualifier: string, interchangeId: string) => Promise<TradingPartner | undefined>;
    /** The host's register of interchanges received (duplicates, gaps); absent: no register. */
    received?: EdiContext['received'];
    /** Our interchange id (ISA05/06 of what we send). */
    us: X12Party;
    controlNumbers?: X12ControlNumbers;
    orderSource?: string;
    /** When the runtime took the file (`x-received-at`): the event time when the envelope's date is unreadable. */
    receivedAt?: string;
    now?: Date;
  },
): Promise<X12InboundResult> {
  const received = o.receivedAt ?? (o.now ?? new Date()).toISOString();
  let doc;
  try {
    doc = readX12(decodeX12(body));
  } catch (e) {
    if (e instanceof X12SyntaxError)
      throw new ConnectorError('permanent', `not a readable X12 interchange: ${e.message}`, {
        field: `byte ${e.byteOffset}`,
      });
    throw e;
  }
  const controlNumbers = o.controlNumbers ?? derivedControlNumbers;
  const records: CanonicalRecord[] = [];
  const acknowledgements: X12OutboundFile[] = [];
  const notes: string[] = [];
  const sets: X12SetOutcome[] = [];
  for (const ic of doc.interchanges) {
    const partner = await o.partner(ic.sender.qualifier, ic.sender.id);
    if (!partner)
      throw new ConnectorError(
        'permanent',
        `interchange ${ic.control} (byte ${ic.byteOffset}) comes from ${ic.sender.qualifier}/${ic.sender.id}, which is not a trading partner of this instance: add it (trading partners), then redrive`,
        { field: 'ISA06' },
      );
    const seen = await o.received?.(partner.id, ic.control, contentHash(ic));
    if (seen?.duplicate === 'different')
      throw new ConnectorError(
        'permanent',
        `interchange control number ${ic.control} from ${partner.name} was already used on ${seen.firstReceivedAt} for an interchange with other content: refused (a partner must not reuse ISA13)`,
        { field: 'ISA13' },
      );
    if (seen?.duplicate === 'same')
      notes.push(
        `interchange ${ic.control} from ${partner.name} is a duplicate of the one received ${seen.firstReceivedAt}: acknowledged again, its records are the same messages (not ingested twice)`,
      );
    else if (seen?.previousControl && /^\d+$/.test(ic.control) && /^\d+$/.test(seen.previousControl)) {
      const gap = BigInt(ic.control) - BigInt(seen.previousControl) - 1n;
      if (gap > 0n)
        notes.push(
          `interchange ${ic.control} from ${partner.name}: ${gap} interchange(s) after ${seen.previousControl} were not received (gap)`,
        );
    }
    for (const p of ic.problems) notes.push(`interchange ${ic.control}: ${p.message}`);
    for (const g of ic.groups) {
      const strict = (list: X12Problem[]) =>
        partner.controlCounts === 'reject'
          ? list.map((p) => (p.count ? { ...p, severity: 'error' as const } : p))
          : list;
      g.problems = strict(g.problems);
      if (partner.versions?.length && !partner.versions.includes(g.version))
        g.problems.push({
          level: 'group',
          severity: 'error',
          code: '2',
          message: `version ${g.version || '(none)'} (GS08) is not one agreed with ${partner.name} (${partner.versions.join(', ')})`,
        });
      const verdicts: X12SetVerdict[] = [];
      for (const s of g.sets) {
        const problems = strict(s.problems);
        const agreed = !partner.transactionSets.length || partner.transactionSets.includes(s.type);
        const mapper = agreed ? o.mappers[s.type] : undefined;
        if (!agreed)
          problems.push({
            level: 'set',
            severity: 'error',
            code: '1',
            message: `transaction set ${s.type} is not one agreed with ${partner.name} (${partner.transactionSets.join(', ')})`,
          });
        else if (!mapper)
          problems.push({
            level: 'set',
            severity: 'error',
            code: '1',
            message: `transaction set ${s.type} is not one this connector reads (it reads ${Object.keys(o.mappers).join(', ')})`,
          });
        let mapped: CanonicalRecord[] = [];
        if (mapper && statusOf(problems) !== 'R' && statusOf(g.problems) !== 'R') {
          const read = readTransactionSet(s, mapper.spec, doc.delimiters);
          problems.push(...read.problems);
          if (statusOf(read.problems) !== 'R')
            try {
              mapped = mapper.map(read.body, {
                interchange: ic,
                group: g,
                set: s,
                partner,
                sentAt: sentAt(g, ic, partner.timeZone, received),
                ...(o.orderSource ? { orderSource: o.orderSource } : {}),
                note: (text) => notes.push(`${where(ic, g, s)}: ${text}`),
              });
            } catch (e) {
              if (!(e instanceof X12MappingError)) throw e;
              problems.push({
                level: e.segment ? 'element' : 'set',
                severity: 'error',
                code: e.segment ? e.code : '5',
                message: e.segment
                  ? `${e.segment.tag}${e.element ? String(e.element).padStart(2, '0') : ''} (segment ${e.segment.position}): ${e.message}`
                  : e.message,
                ...(e.segment ? { segment: { tag: e.segment.tag, position: e.segment.position } } : {}),
                ...(e.segment && e.element
                  ? { element: { position: e.element, value: (e.segment.elements[e.element] ?? '').trim() } }
                  : {}),
              });
            }
        }
        const status = statusOf([...problems, ...g.problems.filter((p) => p.severity === 'error')]);
        verdicts.push({ set: s, problems });
        if (status === 'R') {
          const first =
            problems.find((p) => p.severity === 'error') ?? g.problems.find((p) => p.severity === 'error');
          records.push({
            type: mapper?.produces ?? 'order.upserted',
            key: `${ic.sender.id}/${ic.control}/${s.control}`,
            occurredAt: sentAt(g, ic, partner.timeZone, received),
            payload: {} as never,
            rejected: {
              reason: `${where(ic, g, s)} rejected: ${
                problems
                  .filter((p) => p.severity === 'error')
                  .map((p) => p.message)
                  .join('; ') || first?.message
              }`,
              field: fieldOf(ic, s, first),
              raw: alone(ic, g, s, doc.delimiters),
            },
          } as CanonicalRecord);
        } else records.push(...mapped);
        const errors = problems.filter((p) => p.severity === 'error').map((p) => p.message);
        sets.push({
          interchange: ic,
          group: g,
          set: s,
          partner,
          status,
          records: status === 'R' ? [] : mapped,
          ...(status === 'R' ? { reason: errors.join('; ') || 'rejected' } : {}),
        });
        notes.push(
          `${where(ic, g, s)}: ${status}${problems.length ? ` (${problems.map((p) => p.message).join('; ')})` : ''}`,
        );
      }
      const kind = partner.acknowledgement;
      if ((kind !== '997' && kind !== '999') || g.functionalId === 'FA') continue;
      const key = `${ic.sender.qualifier}/${ic.sender.id}/${ic.control}/${g.control}`;
      const [isa, gs, st] = await x12ControlNumbersFor(controlNumbers, `x12:${partner.id}`, key);
      const ack = acknowledgement(kind, g, verdicts, String(st).padStart(4, '0'));
      acknowledgements.push({
        name: `${kind}_${ic.sender.id}_${ic.control}_${g.control || 'nogroup'}.x12`,
        text: writeX12(
          {
            sender: o.us,
            receiver: ic.sender,
            interchangeControl: isa,
            groupControl: gs,
            functionalId: 'FA',
            version: kind === '999' && g.version < '005010' ? '005010X231A1' : g.version || '004010',
            groupSender: g.receiver || o.us.id,
            groupReceiver: g.sender || ic.sender.id,
            at: o.now ?? new Date(),
            test: ic.test,
          },
          [ack.set],
        ),
      });
      notes.push(`group ${g.control}: ${kind} ${ack.status}`);
    }
  }
  return { records, acknowledgements, notes, sets };
}
