/** Names of everything the messaging layer declares. One place, so RabbitMQ and the in-process bus agree. */
export const INBOUND_EXCHANGE = 'tradelane.inbound';
export const EVENTS_EXCHANGE = 'tradelane.events';
/** History reloads from connectors: its own exchange and queue, so live traffic is not starved. */
export const BACKFILL_EXCHANGE = 'tradelane.backfill';
/** Fanout exchange that dead letters are published to; bound to {@link DEAD_LETTER_QUEUE}. */
export const DEAD_LETTER_EXCHANGE = 'tradelane.dlx';
export const DEAD_LETTER_QUEUE = 'tradelane.dlq';

export const HEADER = {
  attempt: 'x-tl-attempt',
  redriven: 'x-tl-redriven',
  consumer: 'x-tl-consumer',
  routingKey: 'x-tl-routing-key',
  errorCode: 'x-tl-error-code',
  errorMessage: 'x-tl-error-message',
  errorField: 'x-tl-error-field',
  /** Set once when a consumer dead-letters a delivery: the dead-letter store appends one row per value. */
  deadLetterId: 'x-tl-dead-letter-id',
} as const;

export interface RetryPolicy {
  /**
   * Delay before each retry; `delaysMs.length + 1` attempts in all. Grows by default:
   * 1 s, 5 s, 30 s, 2 min, then dead letter.
   */
  delaysMs: number[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { delaysMs: [1_000, 5_000, 30_000, 120_000] };

export interface ConsumerSpec {
  /** Stable name: the queue is `tradelane.<name>`, the inbox and ledger use it too. */
  name: string;
  exchange: string;
  /** Topic patterns bound on the exchange (`#` = everything). */
  bindings: string[];
  /** Unacknowledged messages the broker may hand this consumer at once. */
  prefetch: number;
  retry: RetryPolicy;
  /** Run the handlers registered for this other consumer (the backfill lane runs core's). */
  handlersOf?: string;
  /** false: outbound events the handlers emit are dropped (a history reload announces nothing). */
  emitEvents?: boolean;
  /** Batch options for this consumer, when not the process default (a lower-priority lane). */
  batch?: { batchSize: number; maxWaitMs: number; lanes: number };
}

export function queueName(consumer: string): string {
  return `tradelane.${consumer}`;
}

export function retryQueueName(consumer: string, delayMs: number): string {
  return `tradelane.${consumer}.retry.${delayMs}ms`;
}

export function maxAttempts(policy: RetryPolicy): number {
  return policy.delaysMs.length + 1;
}
