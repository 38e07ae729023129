import { Counter, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of the message pipeline (exposed at /metrics by the api and the worker). */
export class MessagingMetrics {
  readonly messagesIn: Counter<'consumer' | 'type' | 'outcome'>;
  readonly messagesOut: Counter<'exchange' | 'type'>;
  readonly messagesFailed: Counter<'consumer' | 'type' | 'code'>;
  readonly handlerDuration: Histogram<'consumer' | 'type'>;
  readonly batchSize: Histogram<'consumer'>;
  readonly batchDuration: Histogram<'consumer'>;
  readonly versionsSuperseded: Counter<'consumer' | 'record'>;

  constructor(readonly registry: Registry) {
    this.messagesIn = new Counter({
      name: 'tradelane_messages_in_total',
      help: 'Inbound deliveries by outcome (processed, duplicate, retried, dead_lettered, requeued)',
      labelNames: ['consumer', 'type', 'outcome'],
      registers: [registry],
    });
    this.messagesOut = new Counter({
      name: 'tradelane_messages_out_total',
      help: 'Outbound events published from the outbox and confirmed by the broker',
      labelNames: ['exchange', 'type'],
      registers: [registry],
    });
    this.messagesFailed = new Counter({
      name: 'tradelane_messages_failed_total',
      help: 'Failed handling attempts by error code',
      labelNames: ['consumer', 'type', 'code'],
      registers: [registry],
    });
    this.handlerDuration = new Histogram({
      name: 'tradelane_handler_duration_seconds',
      help: 'Time spent in message handlers (a batch handler counts once per batch)',
      labelNames: ['consumer', 'type'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    });
    this.batchSize = new Histogram({
      name: 'tradelane_batch_size',
      help: 'Messages per committed batch',
      labelNames: ['consumer'],
      buckets: [1, 10, 50, 100, 250, 500, 1000],
      registers: [registry],
    });
    this.batchDuration = new Histogram({
      name: 'tradelane_batch_duration_seconds',
      help: 'Time from taking a batch to its commit (handlers + inbox + ledger)',
      labelNames: ['consumer'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    });
    this.versionsSuperseded = new Counter({
      name: 'tradelane_versions_superseded_total',
      help: 'Versions that arrived older than the one stored (processed, no effect), by record kind',
      labelNames: ['consumer', 'record'],
      registers: [registry],
    });
  }
}

export const PROMETHEUS_REGISTRY = Symbol('PROMETHEUS_REGISTRY');
