import { signWebhook, WEBHOOK_ID, WEBHOOK_SIGNATURE, WEBHOOK_TIMESTAMP } from '@tradelane/connector-sdk';
import { randomBytes } from 'node:crypto';

/**
 * The published retry schedule (seconds after the attempt before): 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 14 h, 16 h, 16 h: ten attempts over about 64 hours, each delay with ±10 % jitter, so the
 * last one is made within 3 days of the first. Then the delivery is failed and the subscription
 * marked failing (its contact told). `TRADELANE_WEBHOOK_RETRY_SECONDS` replaces it (tests, a
 * shorter or longer agreement).
 */
export const DEFAULT_RETRY_SECONDS = [5, 300, 1800, 7200, 18000, 36000, 50400, 57600, 57600];
export const JITTER = 0.1;

/** The partner events a subscription may ask for, and the crm events each is made from. */
export const WEBHOOK_EVENT_TYPES = {
  'order.changed': 'crm.order.changed.v1',
  'shipment.changed': 'crm.shipment.changed.v1',
  'invoice.changed': 'crm.invoice.changed.v1',
  'invoice.overdue': 'crm.invoice.overdue.v1',
  'stock.changed': 'crm.stock.changed.v1',
  'case.updated': 'crm.case.updated.v1',
  'kpi.target-missed': 'crm.kpi.target-missed.v1',
} as const;
export type WebhookEventType = keyof typeof WEBHOOK_EVENT_TYPES;
export const WEBHOOK_EVENT_NAMES = Object.keys(WEBHOOK_EVENT_TYPES) as WebhookEventType[];

/** The partner event of a crm event type, if partners can subscribe to it. */
export function webhookEventOf(type: string): WebhookEventType | undefined {
  return WEBHOOK_EVENT_NAMES.find((n) => WEBHOOK_EVENT_TYPES[n] === type);
}

export interface WebhookSettings {
  retrySeconds: number[];
  timeoutMs: number;
  concurrency: number;
  /** Attempts in flight to one subscription at once (a slow receiver holds no more slots). */
  perSubscription: number;
  /** How long an old secret keeps signing after a rotation, unless the request says. */
  overlapHours: number;
}

function numbers(raw: string | undefined, name: string): number[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isFinite(n) || n < 0))
    throw new Error(`${name} must be a comma-separated list of seconds >= 0, not "${raw}"`);
  return list;
}

function positive(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number > 0, not "${raw}"`);
  return n;
}

export function webhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  return {
    retrySeconds:
      numbers(env.TRADELANE_WEBHOOK_RETRY_SECONDS, 'TRADELANE_WEBHOOK_RETRY_SECONDS') ??
      DEFAULT_RETRY_SECONDS,
    timeoutMs:
      positive(env.TRADELANE_WEBHOOK_TIMEOUT_SECONDS, 'TRADELANE_WEBHOOK_TIMEOUT_SECONDS', 10) * 1000,
    concurrency: Math.floor(positive(env.TRADELANE_WEBHOOK_CONCURRENCY, 'TRADELANE_WEBHOOK_CONCURRENCY', 16)),
    perSubscription: Math.floor(
      positive(env.TRADELANE_WEBHOOK_PER_SUBSCRIPTION, 'TRADELANE_WEBHOOK_PER_SUBSCRIPTION', 4),
    ),
    overlapHours: 24,
  };
}

/** The delay before attempt `attempts + 1`, jittered, or null when the schedule is spent. */
export function nextDelayMs(
  settings: WebhookSettings,
  attempts: number,
  random = Math.random,
): number | null {
  const base = settings.retrySeconds[attempts - 1];
  if (base === undefined) return null;
  return Math.round(base * 1000 * (1 - JITTER + 2 * JITTER * random()));
}

/** A new signing secret, in the Standard Webhooks format (`whsec_` + base64 of 24 random bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The Standard Webhooks headers for a delivery: one `v1,` signature per secret still signing
 * (during a rotation the old and the new), so a receiver holding either verifies it.
 */
export function webhookHeaders(
  secrets: string[],
  id: string,
  body: Buffer,
  at = new Date(),
): Record<string, string> {
  const signed = secrets.map((s) => signWebhook(s, body, { id, timestamp: at }));
  return {
    [WEBHOOK_ID]: id,
    [WEBHOOK_TIMESTAMP]: signed[0][WEBHOOK_TIMESTAMP],
    [WEBHOOK_SIGNATURE]: signed.map((h) => h[WEBHOOK_SIGNATURE]).join(' '),
  };
}
