import { IANAZone } from 'luxon';

/**
 * SAP time zone codes (table TTZZ, as written in TZONE_BEG / TZONE_END, E2ADRM1 TZCODE) → IANA
 * zones with the same offset and daylight-saving rules. Codes of the form UTC+8 / UTC-0330 and
 * IANA names are taken as they are.
 */
const SAP_ZONES: Record<string, string> = {
  UTC: 'UTC',
  GMT: 'UTC',
  GMTUK: 'Europe/London',
  WET: 'Europe/Lisbon',
  CET: 'Europe/Berlin',
  EET: 'Europe/Athens',
  RUS03: 'Europe/Moscow',
  TURKEY: 'Europe/Istanbul',
  ISRAEL: 'Asia/Jerusalem',
  UAE: 'Asia/Dubai',
  INDIA: 'Asia/Kolkata',
  SINGAP: 'Asia/Singapore',
  CHINA: 'Asia/Shanghai',
  HONGKO: 'Asia/Hong_Kong',
  JAPAN: 'Asia/Tokyo',
  KOREA: 'Asia/Seoul',
  AUSNSW: 'Australia/Sydney',
  AUSVIC: 'Australia/Melbourne',
  AUSQLD: 'Australia/Brisbane',
  AUSWA: 'Australia/Perth',
  NZST: 'Pacific/Auckland',
  BRAZIL: 'America/Sao_Paulo',
  BRZLEA: 'America/Sao_Paulo',
  ARGENT: 'America/Argentina/Buenos_Aires',
  MEXICO: 'America/Mexico_City',
  EST: 'America/New_York',
  ESTNO: 'America/Panama',
  CST: 'America/Chicago',
  CSTNO: 'America/Regina',
  MST: 'America/Denver',
  MSTNO: 'America/Phoenix',
  PST: 'America/Los_Angeles',
  AKST: 'America/Anchorage',
  HAW: 'Pacific/Honolulu',
  ZAF: 'Africa/Johannesburg',
};

/** The IANA zone of an SAP time zone code, or undefined when it is not one we know. */
export function ianaZoneOf(code: string): string | undefined {
  const c = code.trim().toUpperCase();
  if (SAP_ZONES[c]) return SAP_ZONES[c];
  const m = /^UTC([+-])(\d{1,2})(\d{2})?$/.exec(c);
  if (m) return `UTC${m[1]}${Number(m[2])}${m[3] && m[3] !== '00' ? `:${m[3]}` : ''}`;
  return IANAZone.isValidZone(code.trim()) ? code.trim() : undefined;
}
