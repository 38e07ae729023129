import { DateTime } from 'luxon';

/**
 * The X12 segments Tradelane reads, as data: the type of each element that has one to check
 * (`DT` date, `TM` time, `N0`…`N4` implied-decimal integers, `R` decimal, `ID` code, `AN` text) and
 * `!` where the element is mandatory. Elements not listed are text. Types follow the X12 data
 * element dictionary (4010; 5010 where it differs only in length).
 */
export type X12ElementType = 'AN' | 'ID' | 'DT' | 'TM' | 'N0' | 'N2' | 'R';
type Spec = `${X12ElementType}${'' | '!'}`;

export const X12_SEGMENTS: Record<string, Record<number, Spec>> = {
  // common
  N1: { 1: 'ID!', 3: 'ID', 4: 'AN' },
  N3: { 1: 'AN!' },
  N4: { 1: 'AN', 2: 'ID', 3: 'ID', 4: 'ID' },
  N9: { 1: 'ID!', 4: 'DT', 5: 'TM' },
  L11: { 1: 'AN!', 2: 'ID!' },
  G62: { 1: 'ID', 2: 'DT', 3: 'ID', 4: 'TM' },
  DTM: { 1: 'ID!', 2: 'DT', 3: 'TM' },
  REF: { 1: 'ID!' },
  LX: { 1: 'N0!' },
  NTE: { 2: 'AN!' },
  TD1: { 2: 'N0', 7: 'R' },
  TD5: { 1: 'ID', 2: 'ID', 3: 'AN', 4: 'ID' },
  CUR: { 1: 'ID!', 2: 'ID!' },
  CTT: { 1: 'N0!', 2: 'R' },
  AMT: { 1: 'ID!', 2: 'R!' },
  PID: { 1: 'ID!' },
  MEA: { 3: 'R' },
  // 214 shipment status
  B10: { 1: 'AN', 2: 'AN', 3: 'ID' },
  AT7: { 1: 'ID', 2: 'ID', 3: 'ID', 4: 'ID', 5: 'DT', 6: 'TM', 7: 'ID' },
  AT8: { 1: 'ID', 2: 'ID', 3: 'R', 4: 'N0' },
  MS1: { 1: 'AN', 2: 'ID', 3: 'ID' },
  MS2: { 1: 'ID', 2: 'AN' },
  // 210 / 310 freight invoice
  B3: { 2: 'AN!', 6: 'DT', 7: 'N2', 9: 'DT', 12: 'DT' },
  C3: { 1: 'ID!' },
  L1: { 1: 'N0', 2: 'R', 4: 'N2', 5: 'N2', 6: 'N2' },
  L3: { 1: 'R', 3: 'R', 5: 'N2' },
  L5: { 1: 'N0' },
  // 204 load tender, 990 response
  B2: { 2: 'ID', 4: 'AN' },
  B2A: { 1: 'ID!' },
  S5: { 1: 'N0!', 2: 'ID!', 3: 'R', 5: 'R' },
  B1: { 1: 'ID!', 2: 'AN!', 3: 'DT', 4: 'ID' },
  V9: { 1: 'ID!', 3: 'DT', 4: 'TM' },
  // 940 / 945 / 944 / 947 warehouse
  W05: { 1: 'ID!', 2: 'AN!', 3: 'AN' },
  W66: { 1: 'ID!', 10: 'ID' },
  W01: { 1: 'R!', 2: 'ID!', 4: 'ID', 5: 'AN' },
  W76: { 1: 'R!', 2: 'R' },
  W06: { 1: 'ID!', 2: 'AN', 3: 'DT', 4: 'AN' },
  W12: { 1: 'ID!', 2: 'R', 3: 'R', 4: 'R', 7: 'ID', 8: 'AN' },
  W03: { 1: 'R!', 2: 'R' },
  W17: { 1: 'ID!', 2: 'DT!', 3: 'AN!', 4: 'AN' },
  W07: { 1: 'R!', 2: 'ID!', 4: 'ID', 5: 'AN', 6: 'ID', 7: 'AN' },
  W14: { 1: 'R!' },
  W20: { 4: 'R' },
  W15: { 1: 'DT!', 2: 'AN!' },
  W19: { 1: 'ID!', 2: 'R!', 3: 'ID!', 5: 'ID', 6: 'AN' },
  // 856 ship notice, 861 receiving advice
  BSN: { 1: 'ID!', 2: 'AN!', 3: 'DT!', 4: 'TM' },
  HL: { 1: 'AN!', 3: 'ID!' },
  MAN: { 1: 'ID!', 2: 'AN!' },
  PRF: { 1: 'AN!', 4: 'DT' },
  LIN: { 2: 'ID!', 3: 'AN!' },
  SN1: { 2: 'R!', 3: 'ID!' },
  BRA: { 1: 'AN!', 2: 'DT!' },
  RCD: { 2: 'R', 3: 'ID' },
  // 846 inventory
  BIA: { 1: 'ID!', 2: 'ID!', 3: 'AN!', 4: 'DT!', 5: 'TM' },
  SDQ: { 1: 'ID!', 3: 'AN!', 4: 'R!', 5: 'AN', 6: 'R', 7: 'AN', 8: 'R' },
  QTY: { 1: 'ID!', 2: 'R' },
  // 850 / 855 / 810
  // BEG05 is mandatory in X12, but senders leave it out: the order then dates from its receipt.
  BEG: { 1: 'ID!', 2: 'ID!', 3: 'AN!', 5: 'DT' },
  PO1: { 2: 'R', 3: 'ID', 4: 'R', 6: 'ID', 7: 'AN' },
  BAK: { 1: 'ID!', 2: 'ID!', 3: 'AN!', 4: 'DT!' },
  ACK: { 1: 'ID!', 2: 'R', 3: 'ID' },
  BIG: { 1: 'DT!', 2: 'AN!', 3: 'DT', 4: 'AN' },
  IT1: { 2: 'R', 3: 'ID', 4: 'R', 6: 'ID', 7: 'AN' },
  TDS: { 1: 'N2!' },
  ITD: { 6: 'DT', 7: 'N0' },
  // acknowledgements
  AK1: { 1: 'ID!', 2: 'N0!' },
  AK2: { 1: 'ID!', 2: 'AN!' },
  AK3: { 1: 'ID!', 2: 'N0!' },
  AK4: { 3: 'ID!' },
  AK5: { 1: 'ID!' },
  AK9: { 1: 'ID!', 2: 'N0!', 3: 'N0!', 4: 'N0!' },
  IK3: { 1: 'ID!', 2: 'N0!' },
  IK4: { 3: 'ID!' },
  IK5: { 1: 'ID!' },
};

/** AK4 / IK4 element error codes. */
export const ELEMENT_ERRORS = {
  missing: '1',
  tooLong: '5',
  invalidCharacter: '6',
  invalidDate: '8',
  invalidTime: '9',
} as const;

function validDate(v: string): boolean {
  const m = /^(\d{2})?(\d{2})(\d{2})(\d{2})$/.exec(v);
  if (!m) return false;
  const year = m[1] ? Number(`${m[1]}${m[2]}`) : 2000 + Number(m[2]);
  const month = Number(m[3]);
  const day = Number(m[4]);
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function validTime(v: string): boolean {
  const m = /^(\d{2})(\d{2})(\d{2}(\d{1,2})?)?$/.exec(v);
  return (
    !!m && Number(m[1]) < 24 && Number(m[2]) < 60 && (m[3] === undefined || Number(m[3].slice(0, 2)) < 60)
  );
}

/** Why an element value is not of its type (AK4 code and text), or null when it is. */
export function elementError(type: X12ElementType, value: string): { code: string; why: string } | null {
  switch (type) {
    case 'DT':
      return validDate(value)
        ? null
        : { code: ELEMENT_ERRORS.invalidDate, why: `"${value}" is not a date (CCYYMMDD)` };
    case 'TM':
      return validTime(value)
        ? null
        : { code: ELEMENT_ERRORS.invalidTime, why: `"${value}" is not a time (HHMM[SS])` };
    case 'N0':
    case 'N2':
      return /^-?\d{1,18}$/.test(value)
        ? null
        : { code: ELEMENT_ERRORS.invalidCharacter, why: `"${value}" is not a whole number (type ${type})` };
    case 'R':
      return /^-?(\d+(\.\d*)?|\.\d+)$/.test(value)
        ? null
        : { code: ELEMENT_ERRORS.invalidCharacter, why: `"${value}" is not a number` };
    default:
      return null;
  }
}

/** An implied-decimal number (`N2` "12345" = 123.45) or a decimal (`R`). */
export function x12Number(value: string, type: 'N0' | 'N2' | 'R' = 'R'): number {
  const n = Number(value);
  return type === 'N2' ? n / 100 : n;
}

/** X12 time codes (AT7-07, G62-05 …) → IANA zones; LT (local time) uses the partner's zone. */
export const X12_TIME_CODES: Record<string, string> = {
  UT: 'UTC',
  GM: 'UTC',
  ET: 'America/New_York',
  ED: 'America/New_York',
  ES: 'America/New_York',
  CT: 'America/Chicago',
  CD: 'America/Chicago',
  CS: 'America/Chicago',
  MT: 'America/Denver',
  MD: 'America/Denver',
  MS: 'America/Denver',
  PT: 'America/Los_Angeles',
  PD: 'America/Los_Angeles',
  PS: 'America/Los_Angeles',
  AT: 'America/Halifax',
  AK: 'America/Anchorage',
  HT: 'Pacific/Honolulu',
};

/**
 * CCYYMMDD or YYMMDD (+ HHMM[SS]) → ISO 8601 in UTC. The zone is the time code's (`ET`…) when one
 * is given and known, else `zone` (the trading partner's, UTC by default). Values were checked by
 * {@link elementError} first.
 */
export function x12Timestamp(date: string, time?: string, timeCode?: string, zone = 'UTC'): string {
  const d = date.length === 6 ? `20${date}` : date;
  const t = (time ?? '').padEnd(4, '0');
  const dt = DateTime.fromObject(
    {
      year: Number(d.slice(0, 4)),
      month: Number(d.slice(4, 6)),
      day: Number(d.slice(6, 8)),
      hour: Number(t.slice(0, 2)),
      minute: Number(t.slice(2, 4)),
      second: t.length >= 6 ? Number(t.slice(4, 6)) : 0,
    },
    { zone: (timeCode && X12_TIME_CODES[timeCode]) || zone },
  );
  return dt.toUTC().toISO({ suppressMilliseconds: false }) as string;
}
