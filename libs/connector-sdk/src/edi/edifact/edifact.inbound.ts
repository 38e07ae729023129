import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';
import { ConnectorError } from '../../connector.error';
import { CanonicalRecord, CanonicalType } from '../../define-connector';
import type { EdiContext, TradingPartner } from '../../edi-context';
import { X12ControlNumbers as ControlNumbers, derivedControlNumbers } from '../x12/x12.inbound';
import { aperak, contrl, EdifactOut, envelopeEdifact, writeEdifact } from './edifact.ack';
import {
  EdifactInterchange,
  EdifactMessage,
  EdifactParty,
  EdifactProblem,
  readEdifact,
} from './edifact.envelope';
import { EdifactLoop, EdifactMessageSpec, EdifactPositioned, readMessage } from './edifact.message';
import { decodeEdifact, EdifactSyntaxError } from './edifact.reader';

/** A value a mapper cannot take (application error: an APERAK names it, the message is rejected). */
export class EdifactMappingError extends Error {
  constructor(
    message: string,
    readonly segment?: EdifactPositioned,
    readonly element?: number,
    readonly component?: number,
    /** APERAK ERC code: 12 invalid value by default, 13 missing. */
    readonly code = '12',
  ) {
    super(message);
    this.name = 'EdifactMappingError';
  }
}

export interface EdifactMapContext {
  interchange: EdifactInterchange;
  message: EdifactMessage;
  partner: TradingPartner;
  /** UNB date and time in the partner's zone: the event time when the message gives none. */
  sentAt: string;
  orderSource?: string;
  note(text: string): void;
}

export interface EdifactMapper {
  spec: EdifactMessageSpec;
  produces: CanonicalType;
  map(body: EdifactLoop, ctx: EdifactMapContext): CanonicalRecord[];
}

export interface EdifactOutboundFile {
  name: string;
  text: string;
}

/** UNB date and time in the partner's zone; when the UNB's is unreadable, when the file was taken. */
function sentAt(ic: EdifactInterchange, zone: string, receivedAt: string): string {
  const d = /^\d{6}$/.test(ic.date) ? `20${ic.date}` : /^\d{8}$/.test(ic.date) ? ic.date : undefined;
  const t = /^\d{4}$/.test(ic.time) ? ic.time : '0000';
  const dt = d ? DateTime.fromFormat(`${d}${t}`, 'yyyyMMddHHmm', { zone }) : undefined;
  return dt?.isValid ? (dt.toUTC().toISO() as string) : receivedAt;
}

function contentHash(ic: EdifactInterchange): string {
  const h = createHash('sha256');
  for (const g of ic.groups)
    for (const m of g.messages) for (const s of m.segments) h.update(`${JSON.stringify(s.elements)}\u0002`);
  return h.digest('hex');
}

const party = (p: EdifactParty) => [p.id, ...(p.qualifier ? [p.qualifier] : [])];

/** The rejected message alone in its own interchange (default separators): what a redrive translates again. */
function alone(ic: EdifactInterchange, m: EdifactMessage): string {
  const segs: EdifactOut[] = [
    [
      'UNB',
      [ic.syntax || 'UNOC', ic.syntaxVersion || '3'],
      party(ic.sender),
      party(ic.recipient),
      [ic.date, ic.time],
      ic.control,
    ],
    ...m.segments.map((s) => [s.tag, ...s.elements.slice(1)] as EdifactOut),
    ...(m.segments[m.segments.length - 1]?.tag === 'UNT'
      ? []
      : [['UNT', String(m.segments.length + 1), m.reference]]),
    ['UNZ', '1', ic.control],
  ];
  return writeEdifact(segs);
}

const where = (ic: EdifactInterchange, m: EdifactMessage) =>
  `interchange ${ic.control || '(no reference)'} message ${m.type} ${m.reference}`;

/**
 * One received EDIFACT file through the whole inbound path (the X12 one's twin): characters by the
 * syntax identifier, envelopes checked, the sender among the trading partners, each message read
 * into its segment groups, dates and numbers checked (CONTRL UCS/UCD), mapped (a value the record
 * cannot take: an APERAK naming segment and element), one CONTRL per interchange. A message that
 * fails is a rejected record carrying it alone; the others go on.
 */
export async function edifactInbound(
  body: Buffer,
  o: {
    mappers: Readonly<Record<string, EdifactMapper>>;
    partner: (qualifier: string, id: string) => Promise<TradingPartner | undefined>;
    received?: EdiContext['received'];
    controlNumbers?: ControlNumbers;
    us: EdifactParty;
    orderSource?: string;
    /** When the runtime took the file (`x-received-at`): the event time when the envelope's date is unreadable. */
    receivedAt?: string;
    now?: Date;
  },
): Promise<{ records: CanonicalRecord[]; acknowledgements: EdifactOutboundFile[]; notes: string[] }> {
  let doc;
  let decoded;
  try {
    decoded = decodeEdifact(body);
    const text = decoded.text;
    const bom = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
    doc = readEdifact(text, (i) => Buffer.byteLength(text.slice(0, i), 'utf8') + (bom ? 3 : 0));
  } catch (e) {
    if (e instanceof EdifactSyntaxError)
      throw new ConnectorError('permanent', `not a readable EDIFACT interchange: ${e.message}`, {
        field: `byte ${e.byteOffset}`,
      });
    throw e;
  }
  const numbers = o.controlNumbers ?? derivedControlNumbers;
  const now = o.now ?? new Date();
  const records: CanonicalRecord[] = [];
  const acknowledgements: EdifactOutboundFile[] = [];
  const notes: string[] = decoded.note ? [decoded.note] : [];
  for (const ic of doc.interchanges) {
    if (!ic.sender.id)
      throw new ConnectorError(
        'permanent',
        `interchange ${ic.control || '(no reference)'} (byte ${ic.byteOffset}) names no sender (UNB S002 0004 is blank): it cannot be attributed to a trading partner`,
        { field: 'UNB 0004' },
      );
    const partner = await o.partner(ic.sender.qualifier, ic.sender.id);
    if (!partner)
      throw new ConnectorError(
        'permanent',
        `interchange ${ic.control || '(no reference)'} (byte ${ic.byteOffset}) comes from ${ic.sender.id}${ic.sender.qualifier ? `:${ic.sender.qualifier}` : ''}, which is not a trading partner of this instance: add it (trading partners), then redrive`,
        { field: 'UNB 0004' },
      );
    const strict = (list: EdifactProblem[]) =>
      partner.controlCounts === 'reject'
        ? list.map((p) => (p.count ? { ...p, severity: 'error' as const } : p))
        : list;
    ic.problems = strict(ic.problems);
    for (const p of ic.problems) notes.push(`interchange ${ic.control}: ${p.message}`);
    const seen = ic.control ? await o.received?.(partner.id, ic.control, contentHash(ic)) : undefined;
    if (seen?.duplicate === 'different')
      throw new ConnectorError(
        'permanent',
        `interchange control reference ${ic.control} from ${partner.name} was already used on ${seen.firstReceivedAt} for other content: refused`,
        { field: 'UNB 0020' },
      );
    if (seen?.duplicate === 'same')
      notes.push(
        `interchange ${ic.control} from ${partner.name} is a duplicate (first received ${seen.firstReceivedAt}): acknowledged again, not ingested twice`,
      );
    const verdicts: { message: EdifactMessage; problems: EdifactProblem[] }[] = [];
    const aperaks: { s009: string[]; segments: EdifactOut[] }[] = [];
    const at = sentAt(ic, partner.timeZone, o.receivedAt ?? now.toISOString());
    for (const g of ic.groups)
      for (const m of g.messages) {
        const problems = [...strict(g.problems).filter((p) => p.severity === 'error'), ...strict(m.problems)];
        const application: EdifactProblem[] = [];
        const version = `${m.version}${m.release}`;
        if (partner.versions?.length && !partner.versions.includes(version))
          problems.push({
            level: 'message',
            severity: 'error',
            code: '17',
            message: `version ${m.version}:${m.release} (UNH S009) is not one agreed with ${partner.name} (${partner.versions.join(', ')})`,
          });
        const agreed = !partner.transactionSets.length || partner.transactionSets.includes(m.type);
        const mapper = agreed ? o.mappers[m.type] : undefined;
        if (!mapper)
          problems.push({
            level: 'message',
            severity: 'error',
            code: agreed ? '14' : '17',
            message: agreed
              ? `message ${m.type} is not one this connector reads (it reads ${Object.keys(o.mappers).join(', ')})`
              : `message ${m.type} is not one agreed with ${partner.name} (${partner.transactionSets.join(', ')})`,
          });
        let mapped: CanonicalRecord[] = [];
        if (
          mapper &&
          !problems.some((p) => p.severity === 'error') &&
          !ic.problems.some((p) => p.severity === 'error')
        ) {
          const read = readMessage(m, mapper.spec, partner.timeZone);
          problems.push(...read.problems);
          if (!read.problems.length)
            try {
              mapped = mapper.map(read.body, {
                interchange: ic,
                message: m,
                partner,
                sentAt: at,
                ...(o.orderSource ? { orderSource: o.orderSource } : {}),
                note: (text) => notes.push(`${where(ic, m)}: ${text}`),
              });
            } catch (e) {
              if (!(e instanceof EdifactMappingError)) throw e;
              const named = e.segment
                ? `${e.segment.tag}${e.element ? ` element ${e.element}${e.component ? ` component ${e.component}` : ''}` : ''} (segment ${e.segment.position}): `
                : '';
              application.push({
                level: e.segment ? 'element' : 'message',
                severity: 'error',
                code: e.code,
                message: `${named}${e.message}`,
                ...(e.segment ? { segment: { tag: e.segment.tag, position: e.segment.position } } : {}),
                ...(e.segment && e.element
                  ? { element: { position: e.element, ...(e.component ? { component: e.component } : {}) } }
                  : {}),
              });
            }
        }
        verdicts.push({ message: m, problems });
        const failed = [...problems, ...application].filter((p) => p.severity === 'error');
        if (failed.length || ic.problems.some((p) => p.severity === 'error')) {
          const reasons = [...failed, ...ic.problems.filter((p) => p.severity === 'error')];
          const first = reasons[0];
          records.push({
            type: mapper?.produces ?? 'order.upserted',
            key: `${ic.sender.id}/${ic.control}/${m.reference}`,
            occurredAt: at,
            payload: {} as never,
            rejected: {
              reason: `${where(ic, m)} rejected: ${reasons.map((p) => p.message).join('; ')}`,
              field: `UNB 0020 ${ic.control} UNH 0062 ${m.reference}${first?.segment ? ` ${first.segment.tag} (segment ${first.segment.position})${first.element ? ` element ${first.element.position}` : ''}` : ''}`,
              raw: alone(ic, m),
            },
          } as CanonicalRecord);
        } else records.push(...mapped);
        if (application.length) aperaks.push(aperak(m, application, `${m.reference}-E`, now));
        notes.push(
          `${where(ic, m)}: ${failed.length ? 'rejected' : problems.length ? 'accepted with errors noted' : 'accepted'}`,
        );
      }
    // CONTRLs we receive are about our interchanges: never acknowledged.
    if (
      partner.acknowledgement === 'none' ||
      ic.groups.every((g) => g.messages.every((m) => m.type === 'CONTRL'))
    )
      continue;
    const env = (n: number) => ({
      sender: o.us,
      recipient: ic.sender,
      control: n,
      at: now,
      syntax: ic.syntax || 'UNOC',
      syntaxVersion: ic.syntaxVersion || '3',
      test: ic.test,
    });
    const key = `${ic.sender.id}/${ic.control}`;
    const series = `edifact:${partner.id}`;
    const c = contrl(ic, verdicts);
    const cn = await numbers(`${series}:UNB`, `contrl/${key}`);
    acknowledgements.push({
      name: `CONTRL_${ic.sender.id}_${ic.control || 'noref'}.edi`,
      text: envelopeEdifact(env(cn), [{ s009: c.s009, segments: c.segments }]),
    });
    if (aperaks.length) {
      const an = await numbers(`${series}:UNB`, `aperak/${key}`);
      acknowledgements.push({
        name: `APERAK_${ic.sender.id}_${ic.control || 'noref'}.edi`,
        text: envelopeEdifact(env(an), aperaks),
      });
    }
  }
  return { records, acknowledgements, notes };
}
