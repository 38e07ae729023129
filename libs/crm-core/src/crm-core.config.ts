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
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return n;
}

/** CRM settings from the environment (documented in config/tradelane.env.example). */
export function crmConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CrmConfig {
  return {
    matchRules: parseMatchRules(env.CRM_MATCH_RULES),
    priority: parseSourcePriority(env.CRM_SOURCE_PRIORITY, env.CRM_FIELD_PRIORITY),
    referenceGraceMs: positive(env, 'CRM_REFERENCE_GRACE_SECONDS', 24 * 3600) * 1_000,
    referenceSweepMs: positive(env, 'CRM_REFERENCE_SWEEP_SECONDS', 60) * 1_000,
  };
}
