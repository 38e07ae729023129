import { ContractRegistry } from '@tradelane/contracts';
import { BatchOptions, DEFAULT_BATCH_OPTIONS } from './processing/message.processor';
import {
  BACKFILL_EXCHANGE,
  ConsumerSpec,
  DEFAULT_RETRY_POLICY,
  EVENTS_EXCHANGE,
  INBOUND_EXCHANGE,
  RetryPolicy,
} from './topology';

export interface MessagingConfig {
  /** `AMQP_URL` set: RabbitMQ. Otherwise the in-process bus (embedded default). */
  amqpUrl?: string;
  batch: BatchOptions;
  prefetch: number;
  retry: RetryPolicy;
  /** The consumers this process runs when it starts the bus transport (the worker role). */
  consumers: ConsumerSpec[];
  /** Contracts inbound messages are validated against; default: all of @tradelane/contracts. */
  contracts?: ContractRegistry;
}

export const CORE_CONSUMER = 'core';
/** CRM events owed to connector instances (their `send` capability). */
export const CONNECTORS_OUT_CONSUMER = 'connectors-out';
/** Connector backfills: core's handlers, one lane, small batches, no outbound events. */
export const BACKFILL_CONSUMER = 'core-backfill';
/** CRM events partners subscribed to (webhooks): shared records changed, KPI targets missed. */
export const PARTNER_WEBHOOKS_CONSUMER = 'partner-webhooks';
export const PARTNER_WEBHOOK_BINDINGS = [
  'crm.*.changed.v1',
  'crm.case.updated.v1',
  'crm.kpi.target-missed.v1',
  'crm.invoice.overdue.v1',
];

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer >= ${min} (got "${raw}")`);
  return v;
}

/** Reads MESSAGING_* variables; every one has a sane default. */
export function messagingConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  const batch = {
    batchSize: int(env, 'MESSAGING_BATCH_SIZE', DEFAULT_BATCH_OPTIONS.batchSize),
    maxWaitMs: int(env, 'MESSAGING_BATCH_WAIT_MS', DEFAULT_BATCH_OPTIONS.maxWaitMs, 0),
    lanes: int(env, 'MESSAGING_LANES', DEFAULT_BATCH_OPTIONS.lanes),
  };
  const prefetch = int(env, 'MESSAGING_PREFETCH', batch.batchSize * 2);
  let retry = DEFAULT_RETRY_POLICY;
  if (env.MESSAGING_RETRY_DELAYS_MS) {
    const delaysMs = env.MESSAGING_RETRY_DELAYS_MS.split(',').map((s) => Number(s.trim()));
    if (delaysMs.some((d) => !Number.isInteger(d) || d < 1))
      throw new Error('MESSAGING_RETRY_DELAYS_MS must be a comma-separated list of positive integers');
    retry = { delaysMs };
  }
  return {
    amqpUrl: env.AMQP_URL || undefined,
    batch,
    prefetch,
    retry,
    consumers: [
      { name: CORE_CONSUMER, exchange: INBOUND_EXCHANGE, bindings: ['#'], prefetch, retry },
      { name: CONNECTORS_OUT_CONSUMER, exchange: EVENTS_EXCHANGE, bindings: ['crm.#'], prefetch, retry },
      {
        name: PARTNER_WEBHOOKS_CONSUMER,
        exchange: EVENTS_EXCHANGE,
        bindings: PARTNER_WEBHOOK_BINDINGS,
        prefetch,
        retry,
      },
      {
        name: BACKFILL_CONSUMER,
        exchange: BACKFILL_EXCHANGE,
        bindings: ['#'],
        prefetch: int(env, 'BACKFILL_PREFETCH', 200),
        retry,
        handlersOf: CORE_CONSUMER,
        emitEvents: false,
        batch: { batchSize: int(env, 'BACKFILL_BATCH_SIZE', 100), maxWaitMs: batch.maxWaitMs, lanes: 1 },
      },
    ],
  };
}

export function describeBus(config: MessagingConfig): string {
  if (!config.amqpUrl) return 'in-process bus (embedded; messages in memory)';
  try {
    const u = new URL(config.amqpUrl);
    if (u.password) u.password = '***';
    return `RabbitMQ at ${u.toString()}`;
  } catch {
    return 'RabbitMQ (unparseable AMQP_URL)';
  }
}
