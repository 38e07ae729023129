import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { BackgroundJob, BackgroundJobs, PROMETHEUS_REGISTRY } from '@tradelane/messaging';
import { Gauge, Registry } from 'prom-client';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { ReferenceService } from './reference.service';

/** Runs the unresolved-reference sweep every CRM_REFERENCE_SWEEP_SECONDS in consuming processes. */
@Injectable()
export class ReferenceSweepJob implements BackgroundJob, OnModuleInit {
  readonly name = 'reference-sweep';
  private readonly log = new Logger(ReferenceSweepJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly references: ReferenceService,
    private readonly jobs: BackgroundJobs,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
    @Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry,
  ) {}

  /** Nest runs init hooks again when the bus transport (a microservice) starts on the same modules. */
  private initialised = false;

  onModuleInit(): void {
    if (this.initialised) return;
    this.initialised = true;
    this.jobs.register(this);
    const references = this.references;
    new Gauge({
      name: 'tradelane_pending_references',
      help: 'Records stored before the customer or order they name (linked when it arrives, dead-lettered after the grace period)',
      registers: [this.registry],
      async collect() {
        this.set(await references.countPending());
      },
    });
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.references
        .sweep()
        .catch((e) => this.log.error(`reference sweep failed, will try again: ${(e as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.config.referenceSweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
