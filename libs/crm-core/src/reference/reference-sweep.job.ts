import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { BackgroundJob, BackgroundJobs } from '@tradelane/messaging';
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
  ) {}

  onModuleInit(): void {
    this.jobs.register(this);
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
