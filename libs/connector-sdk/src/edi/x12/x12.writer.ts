import { X12Interchange } from 'node-x12';
import { ConnectorError } from '../../connector.error';
import { X12Party } from './x12.envelope';

/** One transaction set to write: ST01, ST02 and the segments between ST and SE (tag first). */
export interface X12SetOut {
  type: string;
  control: string;
  implementation?: string;
  segments: string[][];
}

export interface X12EnvelopeOut {
  sender: X12Party;
  receiver: X12Party;
  /** ISA13 and GS06 (the writer pads ISA13 to nine digits). */
  interchangeControl: number;
  groupControl: number;
  /** GS01 (`FA` for acknowledgements, `OW` for 940, `SM` for 204 …). */
  functionalId: string;
  /** GS08, e.g. `004010` (ISA12 follows: 00401 / 00501). */
  version: string;
  /** GS02/GS03 when they differ from the ISA ids. */
  groupSender?: string;
  groupReceiver?: string;
  at: Date;
  test?: boolean;
  /** Ask for a TA1 (ISA14). */
  ackRequested?: boolean;
  delimiters?: { element?: string; component?: string; segment?: string; repetition?: string };
}

const pad = (v: string, n: number): string => v.padEnd(n, ' ').slice(0, n);

function stamp(at: Date): { yymmdd: string; ccyymmdd: string; hhmm: string } {
  const iso = at.toISOString();
  const ccyymmdd = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
  return { yymmdd: ccyymmdd.slice(2), ccyymmdd, hhmm: `${iso.slice(11, 13)}${iso.slice(14, 16)}` };
}

/**
 * One interchange with one functional group, written by node-x12 (it pads the ISA to its fixed
 * width and counts SE01, GE01 and IEA01). Segment terminator `~` and a line break after each
 * segment unless told otherwise: what most partners expect and every parser reads.
 */
export function writeX12(env: X12EnvelopeOut, sets: X12SetOut[]): string {
  const element = env.delimiters?.element ?? '*';
  const component = env.delimiters?.component ?? '>';
  const segment = env.delimiters?.segment ?? '~';
  const five = env.version >= '005';
  const repetition = env.delimiters?.repetition ?? '^';
  const ic = new X12Interchange({
    segmentTerminator: segment,
    elementDelimiter: element,
    subElementDelimiter: component,
    repetitionDelimiter: five ? repetition : undefined,
    endOfLine: '\n',
    format: true,
  });
  const t = stamp(env.at);
  ic.setHeader([
    '00',
    pad('', 10),
    '00',
    pad('', 10),
    pad(env.sender.qualifier, 2),
    pad(env.sender.id, 15),
    pad(env.receiver.qualifier, 2),
    pad(env.receiver.id, 15),
    t.yymmdd,
    t.hhmm,
    five ? repetition : 'U',
    five ? '00501' : '00401',
    String(env.interchangeControl).padStart(9, '0'),
    env.ackRequested ? '1' : '0',
    env.test ? 'T' : 'P',
    component,
  ]);
  const group = ic.addFunctionalGroup();
  group.setHeader([
    env.functionalId,
    env.groupSender ?? env.sender.id,
    env.groupReceiver ?? env.receiver.id,
    t.ccyymmdd,
    t.hhmm,
    String(env.groupControl),
    'X',
    env.version,
  ]);
  for (const s of sets) {
    const tx = group.addTransaction();
    tx.setHeader(s.implementation ? [s.type, s.control, s.implementation] : [s.type, s.control]);
    for (const [tag, ...elements] of s.segments) {
      // Trailing empty elements are left out (X12 syntax rule), inner ones kept as positions.
      let n = elements.length;
      while (n > 0 && elements[n - 1] === '') n--;
      tx.addSegment(tag, elements.slice(0, n));
    }
  }
  return `${ic.toString()}\n`;
}

/** X12 delimiters we write (and line breaks): never inside a value. */
const X12_DELIMITERS = /[*~>^\r\n]/g;

/** A descriptive value (a name, a place, a description): cleaned and cut to its X12 maximum. */
export const x12Text = (v: string | null | undefined, max: number): string =>
  (v ?? '').replace(X12_DELIMITERS, ' ').trim().slice(0, max);

/**
 * An identifier (a shipment or invoice number, a SKU): cleaned, and refused with the element named
 * when longer than X12 allows (an id is never cut: a cut id names another record).
 */
export function x12Id(v: string, max: number, element: string): string {
  const clean = v.replace(X12_DELIMITERS, ' ').trim();
  if (clean.length > max)
    throw new ConnectorError(
      'permanent',
      `${element} "${clean}" is longer than the ${max} characters X12 allows`,
      {
        field: element,
      },
    );
  return clean;
}

/** CCYYMMDD and HHMM (UTC) of an ISO 8601 time. */
export const x12Date = (iso: string): string => new Date(iso).toISOString().slice(0, 10).replace(/-/g, '');
export const x12Time = (iso: string): string => new Date(iso).toISOString().slice(11, 16).replace(':', '');

/** A decimal X12 writes as R (no trailing zeros, no exponent). */
export const x12Decimal = (n: number, places = 3): string => String(Number(n.toFixed(places)));
