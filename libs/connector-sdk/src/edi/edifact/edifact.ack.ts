import { EdifactInterchange, EdifactMessage, EdifactParty, EdifactProblem } from './edifact.envelope';

/** Segments to write: tag first, then elements, each a string (one component) or components. */
export type EdifactOut = (string | string[])[];

const DEFAULT = { component: ':', element: '+', release: '?', segment: "'" };

/** Escapes a value with the release character (UNA defaults): `?`, `:`, `+`, `'` inside data. */
function escape(value: string): string {
  return value.replace(/[?:+']/g, (c) => `${DEFAULT.release}${c}`).replace(/[\r\n]/g, ' ');
}

/** One interchange as text, default separators (UNA written, so every reader agrees), a line per segment. */
export function writeEdifact(segments: EdifactOut[]): string {
  const trimEnd = <T>(list: T[], empty: (x: T) => boolean): T[] => {
    let n = list.length;
    while (n > 1 && empty(list[n - 1])) n--;
    return list.slice(0, n);
  };
  // Trailing empty elements and components are left out (ISO 9735), inner ones kept as positions.
  const line = (s: EdifactOut) =>
    trimEnd(
      s.map((e, i) =>
        i === 0
          ? e
          : Array.isArray(e)
            ? trimEnd(e, (c) => c === '')
                .map((c) => escape(c))
                .join(DEFAULT.component)
            : escape(e),
      ) as string[],
      (e) => e === '',
    ).join(DEFAULT.element) + DEFAULT.segment;
  return `UNA:+.? '\n${segments.map(line).join('\n')}\n`;
}

export interface EdifactEnvelopeOut {
  sender: EdifactParty;
  recipient: EdifactParty;
  /** UNB 0020 and the messages' 0062. */
  control: number;
  at: Date;
  syntax?: string;
  syntaxVersion?: string;
  test?: boolean;
}

function stamp(at: Date): { yymmdd: string; hhmm: string; ccyymmddhhmm: string } {
  const iso = at.toISOString();
  const ymd = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
  const hhmm = `${iso.slice(11, 13)}${iso.slice(14, 16)}`;
  return { yymmdd: ymd.slice(2), hhmm, ccyymmddhhmm: `${ymd}${hhmm}` };
}

/** UNB … UNZ around messages (each given as its segments between UNH and UNT, UNH's S009 first). */
export function envelopeEdifact(
  env: EdifactEnvelopeOut,
  messages: { s009: string[]; segments: EdifactOut[] }[],
): string {
  const t = stamp(env.at);
  const control = String(env.control);
  const out: EdifactOut[] = [
    [
      'UNB',
      [env.syntax ?? 'UNOC', env.syntaxVersion ?? '3'],
      [env.sender.id, ...(env.sender.qualifier ? [env.sender.qualifier] : [])],
      [env.recipient.id, ...(env.recipient.qualifier ? [env.recipient.qualifier] : [])],
      [t.yymmdd, t.hhmm],
      control,
      ...(env.test ? ['', '', '', '', '', '1'] : []),
    ],
  ];
  messages.forEach((m, i) => {
    const ref = `${control}${String(i + 1).padStart(2, '0')}`;
    out.push(['UNH', ref, m.s009], ...m.segments, ['UNT', String(m.segments.length + 2), ref]);
  });
  out.push(['UNZ', String(messages.length), control]);
  return writeEdifact(out);
}

/** CONTRL action codes (data element 0083). */
export const ACTION = { rejected: '4', acknowledged: '7' } as const;

const isError = (p: EdifactProblem) => p.severity === 'error';

/**
 * The CONTRL answering one interchange: UCI (the interchange: acknowledged or rejected, with its
 * error code), then per message a UCM (acknowledged / rejected, error code) with a UCS per segment
 * in error (position, code) and a UCD per element (code, element:component position). Messages
 * without problems are acknowledged by the UCI (action 7: lower levels acknowledged unless named).
 */
export function contrl(
  ic: EdifactInterchange,
  verdicts: readonly { message: EdifactMessage; problems: EdifactProblem[] }[],
): { segments: EdifactOut[]; s009: string[]; rejected: number } {
  const icError = ic.problems.find(isError);
  const uci: EdifactOut = [
    'UCI',
    ic.control,
    [ic.sender.id, ...(ic.sender.qualifier ? [ic.sender.qualifier] : [])],
    [ic.recipient.id, ...(ic.recipient.qualifier ? [ic.recipient.qualifier] : [])],
    icError ? ACTION.rejected : ACTION.acknowledged,
    ...(icError ? [icError.code] : []),
  ];
  const segments: EdifactOut[] = [uci];
  let rejected = 0;
  for (const { message: m, problems } of verdicts) {
    if (!problems.length) continue;
    const error = problems.find(isError);
    if (error || icError) rejected++;
    segments.push([
      'UCM',
      m.reference,
      [m.type, m.version, m.release, m.agency, ...(m.association ? [m.association] : [])],
      error ? ACTION.rejected : ACTION.acknowledged,
      // An error code with action 7: taken, and this is what was wrong (a control count…).
      (
        problems.find((p) => p.level === 'message' && (!error || p.severity === 'error')) ??
        error ??
        problems[0]
      ).code,
    ]);
    const bySegment = new Map<number, EdifactProblem[]>();
    for (const p of problems)
      if (p.segment) bySegment.set(p.segment.position, [...(bySegment.get(p.segment.position) ?? []), p]);
    for (const [position, list] of [...bySegment.entries()].sort((a, b) => a[0] - b[0])) {
      segments.push([
        'UCS',
        String(position),
        ...(list.some((p) => p.level === 'segment') ? [list[0].code] : []),
      ]);
      for (const p of list.filter((q) => q.level === 'element' && q.element))
        segments.push([
          'UCD',
          p.code,
          [String(p.element?.position), ...(p.element?.component ? [String(p.element.component)] : [])],
        ]);
    }
  }
  const s009 = Number(ic.syntaxVersion) >= 4 ? ['CONTRL', '4', '1', 'UN'] : ['CONTRL', 'D', '3', 'UN'];
  return { segments, s009, rejected: icError ? verdicts.length : rejected };
}

/**
 * The APERAK for one message with application errors (its syntax was fine, what it says cannot be
 * taken): BGM (313 application error, our reference), DTM 137, RFF ACW (the message answered),
 * then per error an ERC (code) and FTX AAO with the text naming segment and element.
 */
export function aperak(
  message: EdifactMessage,
  problems: readonly EdifactProblem[],
  reference: string,
  at: Date,
): { segments: EdifactOut[]; s009: string[] } {
  const t = stamp(at);
  const segments: EdifactOut[] = [
    ['BGM', '313', reference, '27'],
    ['DTM', ['137', t.ccyymmddhhmm, '203']],
    ['RFF', ['ACW', message.reference]],
  ];
  for (const p of problems) {
    segments.push(['ERC', p.code]);
    segments.push([
      'FTX',
      'AAO',
      '',
      '',
      [p.message.slice(0, 70), p.message.slice(70, 140), p.message.slice(140, 210)].filter(Boolean),
    ]);
  }
  return { segments, s009: ['APERAK', 'D', '96A', 'UN'] };
}
