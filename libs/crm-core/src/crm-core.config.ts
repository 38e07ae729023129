import { parsePriorityRules, PriorityRule } from './case/case.util';
import { KPI_PERIODS, KpiPeriod } from './context/kpi-catalogue';
import { MatchRules, parseMatchRules } from './customer/identifier.util';
import { parseSourcePriority, SourcePriority } from './customer/survivorship.util';

export const CRM_CONFIG = Symbol('CRM_CONFIG');

export interface CrmConfig {
  matchRules: MatchRules;
  priority: SourcePriority;
  /** How long a record may name a customer or order nobody has sent before it is dead-lettered. */
  referenceGraceMs: number;
  /** How often unresolved references are checked. */
  referenceSweepMs: number;
  /** How often changed records' KPI facts are derived again and their values recomputed. */
  kpiRefreshMs: number;
  /** Periods whose missed targets emit crm.kpi.target-missed.v1 (day, week, month). */
  kpiAlertPeriods: KpiPeriod[];
  /** Only periods starting at most this many days ago alert (a rebuild does not announce old misses). */
  kpiAlertLookbackDays: number;
  /** How often case SLA clocks are checked for at-risk and breach. */
  slaSweepMs: number;
  /** Shipment events older than this (and any on the backfill lane) open no case: history pages nobody. */
  caseEventMaxAgeMs: number;
  casePriorityRules: PriorityRule[];
  /** The largest file a case message may carry. */
  caseAttachmentMaxBytes: number;
  /** How often customers are re-classified (ABC, lifecycle, value, VIP). */
  segmentEveryMs: number;
  /** How often open invoices past their due date are looked for (crm.invoice.overdue.v1). */
  invoiceOverdueSweepMs: number;
  /** Only invoices due at most this many days ago raise it (a first run does not announce years of arrears). */
  invoiceOverdueLookbackDays: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return n;
}

function parsePeriods(raw: string | undefined): KpiPeriod[] {
  const list = (raw?.trim() ? raw : 'month').split(',').map((p) => p.trim());
  for (const p of list)
    if (!(KPI_PERIODS as readonly string[]).includes(p))
      throw new Error(`CRM_KPI_ALERT_PERIODS: "${p}" is not one of ${KPI_PERIODS.join(', ')}`);
  return list as KpiPeriod[];
}

/** CRM settings from the environment (documented in config/tradelane.env.example). */
export function crmConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CrmConfig {
  return {
    matchRules: parseMatchRules(env.CRM_MATCH_RULES),
    priority: parseSourcePriority(env.CRM_SOURCE_PRIORITY, env.CRM_FIELD_PRIORITY),
    referenceGraceMs: positive(env, 'CRM_REFERENCE_GRACE_SECONDS', 24 * 3600) * 1_000,
    referenceSweepMs: positive(env, 'CRM_REFERENCE_SWEEP_SECONDS', 60) * 1_000,
    kpiRefreshMs: positive(env, 'CRM_KPI_REFRESH_SECONDS', 2) * 1_000,
    kpiAlertPeriods: parsePeriods(env.CRM_KPI_ALERT_PERIODS),
    kpiAlertLookbackDays: positive(env, 'CRM_KPI_ALERT_LOOKBACK_DAYS', 45),
    slaSweepMs: positive(env, 'CRM_SLA_SWEEP_SECONDS', 30) * 1_000,
    caseEventMaxAgeMs: positive(env, 'CRM_CASE_EVENT_MAX_AGE_HOURS', 168) * 3_600_000,
    casePriorityRules: parsePriorityRules(env.CRM_CASE_PRIORITY_RULES),
    caseAttachmentMaxBytes: Math.round(positive(env, 'CRM_CASE_ATTACHMENT_MAX_MB', 10) * 1024 * 1024),
    segmentEveryMs: positive(env, 'CRM_SEGMENT_EVERY_HOURS', 24) * 3_600_000,
    invoiceOverdueSweepMs: positive(env, 'CRM_INVOICE_OVERDUE_SWEEP_SECONDS', 300) * 1_000,
    invoiceOverdueLookbackDays: positive(env, 'CRM_INVOICE_OVERDUE_LOOKBACK_DAYS', 7),
  };
}
