import { CASE_PRIORITIES, CasePriority } from '@tradelane/contracts';
import { BusinessCalendar, DEFAULT_CALENDAR, validateCalendar } from '../context/business-hours.util';
import { KPI_NAMES, KpiName, KPIS } from '../context/kpi-catalogue';

export interface SlaTerms {
  /** Business minutes to the first customer-visible answer, and to resolution. */
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/** What a service agreement sets. Every level (defaults, tier, customer) may set any part. */
export interface AgreementSettings {
  /** KPI → target (share 0..1, or hours for cycle time). null removes a default target. */
  targets: Partial<Record<KpiName, number | null>>;
  sla: Record<CasePriority, SlaTerms>;
  calendar: BusinessCalendar;
  /** Share of a clock after which a case is escalated as at risk (0.75 = with a quarter left). */
  atRiskShare: number;
  /** A delivery later than its promised window by more than this opens a delay case. */
  lateToleranceMinutes: number;
  /** The customer may see its KPI scorecard (portal). */
  shareScorecard: boolean;
}

/** What one level (tier or customer) sets: any part, SLA terms per priority. */
export type AgreementOverrides = Partial<Omit<AgreementSettings, 'sla'>> & {
  sla?: Partial<AgreementSettings['sla']>;
};

export const DEFAULT_TIER = 'standard';

export const DEFAULT_AGREEMENT: AgreementSettings = {
  targets: Object.fromEntries(KPI_NAMES.map((k) => [k, KPIS[k].defaultTarget])),
  sla: {
    urgent: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
    high: { firstResponseMinutes: 4 * 60, resolutionMinutes: 3 * 8 * 60 },
    normal: { firstResponseMinutes: 8 * 60, resolutionMinutes: 5 * 8 * 60 },
    low: { firstResponseMinutes: 2 * 8 * 60, resolutionMinutes: 10 * 8 * 60 },
  },
  calendar: DEFAULT_CALENDAR,
  atRiskShare: 0.75,
  lateToleranceMinutes: 24 * 60,
  shareScorecard: false,
};

export type Provenance = Record<string, 'default' | 'tier' | 'customer'>;

/** defaults ← tier ← customer, per part (targets and SLA terms per KPI / priority), with where each came from. */
export function effectiveAgreement(
  tier: AgreementOverrides | undefined,
  customer: AgreementOverrides | undefined,
): { settings: AgreementSettings; from: Provenance } {
  const from: Provenance = {};
  const settings = structuredClone(DEFAULT_AGREEMENT);
  for (const [level, part] of [
    ['tier', tier],
    ['customer', customer],
  ] as const) {
    if (!part) continue;
    for (const [k, v] of Object.entries(part.targets ?? {})) {
      settings.targets[k as KpiName] = v;
      from[`targets.${k}`] = level;
    }
    for (const [p, v] of Object.entries(part.sla ?? {})) {
      settings.sla[p as CasePriority] = { ...settings.sla[p as CasePriority], ...v };
      from[`sla.${p}`] = level;
    }
    for (const key of ['calendar', 'atRiskShare', 'lateToleranceMinutes', 'shareScorecard'] as const) {
      if (part[key] === undefined) continue;
      (settings as unknown as Record<string, unknown>)[key] = part[key];
      from[key] = level;
    }
  }
  return { settings, from };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a partial agreement from outside; every problem names its field. */
export function validateAgreementSettings(input: unknown): AgreementOverrides {
  if (!isObject(input)) throw new Error('settings: must be an object');
  const known = ['targets', 'sla', 'calendar', 'atRiskShare', 'lateToleranceMinutes', 'shareScorecard'];
  for (const k of Object.keys(input))
    if (!known.includes(k)) throw new Error(`${k}: unknown setting (known: ${known.join(', ')})`);
  const out: AgreementOverrides = {};
  if (input.targets !== undefined) {
    if (!isObject(input.targets)) throw new Error('targets: must be an object of KPI → target');
    out.targets = {};
    for (const [k, v] of Object.entries(input.targets)) {
      if (!(KPI_NAMES as readonly string[]).includes(k))
        throw new Error(`targets.${k}: unknown KPI (known: ${KPI_NAMES.join(', ')})`);
      const def = KPIS[k as KpiName];
      if (
        v !== null &&
        (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (def.unit === 'share' && v > 1))
      )
        throw new Error(
          `targets.${k}: must be ${def.unit === 'share' ? 'a share between 0 and 1 (0.99 = 99 %)' : 'a number of hours >= 0'} or null`,
        );
      out.targets[k as KpiName] = v as number | null;
    }
  }
  if (input.sla !== undefined) {
    if (!isObject(input.sla)) throw new Error('sla: must be an object of priority → terms');
    out.sla = {} as AgreementSettings['sla'];
    for (const [p, terms] of Object.entries(input.sla)) {
      if (!(CASE_PRIORITIES as readonly string[]).includes(p))
        throw new Error(`sla.${p}: unknown priority (known: ${CASE_PRIORITIES.join(', ')})`);
      if (!isObject(terms)) throw new Error(`sla.${p}: must be {firstResponseMinutes, resolutionMinutes}`);
      for (const [k, v] of Object.entries(terms)) {
        if (!['firstResponseMinutes', 'resolutionMinutes'].includes(k))
          throw new Error(`sla.${p}.${k}: unknown term`);
        if (!Number.isInteger(v) || (v as number) <= 0)
          throw new Error(`sla.${p}.${k}: must be a positive whole number of business minutes`);
      }
      out.sla[p as CasePriority] = terms as unknown as SlaTerms;
    }
  }
  if (input.calendar !== undefined) {
    const cal = {
      ...DEFAULT_CALENDAR,
      ...(isObject(input.calendar) ? input.calendar : {}),
    } as BusinessCalendar;
    if (!isObject(input.calendar)) throw new Error('calendar: must be an object');
    try {
      validateCalendar(cal);
    } catch (e) {
      throw new Error(`calendar: ${(e as Error).message}`);
    }
    out.calendar = cal;
  }
  if (input.atRiskShare !== undefined) {
    const v = input.atRiskShare;
    if (typeof v !== 'number' || !(v > 0 && v < 1))
      throw new Error('atRiskShare: must be between 0 and 1 (exclusive)');
    out.atRiskShare = v;
  }
  if (input.lateToleranceMinutes !== undefined) {
    const v = input.lateToleranceMinutes;
    if (!Number.isInteger(v) || (v as number) < 0)
      throw new Error('lateToleranceMinutes: must be a whole number >= 0');
    out.lateToleranceMinutes = v as number;
  }
  if (input.shareScorecard !== undefined) {
    if (typeof input.shareScorecard !== 'boolean') throw new Error('shareScorecard: must be true or false');
    out.shareScorecard = input.shareScorecard;
  }
  return out;
}
