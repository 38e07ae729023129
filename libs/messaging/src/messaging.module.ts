import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Database, DeadLetterRepository, LedgerRepository, OutboxRepository } from '@tradelane/persistence';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { MESSAGE_BUS, MessageBus } from './bus.port';
import { RedriveService } from './dead-letter/redrive.service';
import { InProcessBus } from './in-process/in-process.bus';
import { describeBus, MessagingConfig, messagingConfigFromEnv } from './messaging.config';
import { MessagingMetrics, PROMETHEUS_REGISTRY } from './messaging.metrics';
import { HealthController, PipelineHealthIndicators } from './ops/health.controller';
import { OpsController } from './ops/ops.controller';
import { OpsService } from './ops/ops.service';
import { DEFAULT_RELAY_OPTIONS, OutboxRelay } from './outbox/outbox.relay';
import { RabbitMqBus } from './rabbitmq/rabbitmq.bus';
import { BackgroundJobs } from './transport/background-jobs';
import { BusTransport, MESSAGING_CONFIG } from './transport/bus.transport';

const BROKER_CONNECT_WAIT_MS = 5_000;

function retentionMsFromEnv(hours: string | undefined): number {
  if (hours === undefined || hours === '') return DEFAULT_RELAY_OPTIONS.retentionMs;
  const h = Number(hours);
  if (!Number.isFinite(h) || h <= 0)
    throw new Error(`OUTBOX_RETENTION_HOURS must be a positive number (got "${hours}")`);
  return h * 3_600_000;
}

/** Pipeline gauges read from the database at scrape time. */

function registerStoreGauges(
  registry: Registry,
  outbox: OutboxRepository,
  deadLetters: DeadLetterRepository,
): void {
  new Gauge({
    name: 'tradelane_outbox_lag_seconds',
    help: 'Age of the oldest unpublished outbox event (0 when the outbox is empty)',
    registers: [registry],
    async collect() {
      this.set((await outbox.stats()).lagSeconds);
    },
  });
  new Gauge({
    name: 'tradelane_outbox_pending',
    help: 'Outbox events not yet confirmed by the broker',
    registers: [registry],
    async collect() {
      this.set((await outbox.stats()).pending);
    },
  });
  new Gauge({
    name: 'tradelane_dead_letters',
    help: 'Messages in the dead-letter store by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await deadLetters.countByStatus();
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });
}

/**
 * The bus (RabbitMQ when AMQP_URL is set, in-process otherwise), the transport that runs handlers,
 * the outbox relay, redrive, and the operations endpoints (health, metrics, ledger, dead letters).
 */
@Global()
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  static forRoot(config: MessagingConfig = messagingConfigFromEnv()): DynamicModule {
    const logger = new Logger('Messaging');
    return {
      module: MessagingModule,
      // Terminus would log every failing probe as an error; the indicators log each change of state once.
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, OpsController],
      providers: [
        { provide: MESSAGING_CONFIG, useValue: config },
        {
          provide: MESSAGE_BUS,
          useFactory: async (): Promise<MessageBus> => {
            logger.log(`bus: ${describeBus(config)}`);
            const bus: MessageBus = config.amqpUrl
              ? new RabbitMqBus({ url: config.amqpUrl })
              : new InProcessBus();
            const connected = bus.connect().then(() => true);
            const waited = await Promise.race([
              connected,
              new Promise((r) => setTimeout(() => r(false), BROKER_CONNECT_WAIT_MS).unref()),
            ]);
            if (!waited) {
              const problem = bus.connectionProblem?.();
              logger.warn(
                `broker not reachable yet${problem ? `: ${problem.message} [${problem.code}]` : ''}; connecting in the background`,
              );
            }
            connected.catch((e) => logger.error(`broker connection failed: ${(e as Error).message}`));
            return bus;
          },
        },
        {
          provide: PROMETHEUS_REGISTRY,
          inject: [OutboxRepository, DeadLetterRepository],
          useFactory: (outbox: OutboxRepository, deadLetters: DeadLetterRepository) => {
            const registry = new Registry();
            collectDefaultMetrics({ register: registry });
            registerStoreGauges(registry, outbox, deadLetters);
            return registry;
          },
        },
        {
          provide: MessagingMetrics,
          inject: [PROMETHEUS_REGISTRY],
          useFactory: (registry: Registry) => new MessagingMetrics(registry),
        },
        {
          provide: OutboxRelay,
          inject: [Database, OutboxRepository, LedgerRepository, MESSAGE_BUS, MessagingMetrics],
          useFactory: (db, outbox, ledger, bus, metrics) =>
            new OutboxRelay(db, outbox, ledger, bus, metrics, {
              ...DEFAULT_RELAY_OPTIONS,
              pollMs: Number(process.env.OUTBOX_POLL_MS ?? DEFAULT_RELAY_OPTIONS.pollMs),
              retentionMs: retentionMsFromEnv(process.env.OUTBOX_RETENTION_HOURS),
            }),
        },
        {
          provide: RedriveService,
          inject: [DeadLetterRepository, LedgerRepository, MESSAGE_BUS],
          useFactory: (deadLetters, ledger, bus) => new RedriveService(deadLetters, ledger, bus),
        },
        BackgroundJobs,
        BusTransport,
        OpsService,
        PipelineHealthIndicators,
      ],
      exports: [
        BackgroundJobs,
        MESSAGE_BUS,
        MESSAGING_CONFIG,
        PROMETHEUS_REGISTRY,
        MessagingMetrics,
        OutboxRelay,
        RedriveService,
        BusTransport,
        OpsService,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.bus.close();
  }
}
