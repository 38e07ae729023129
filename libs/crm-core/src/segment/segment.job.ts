import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { BackgroundJob, BackgroundJobs } from '@tradelane/messaging';
import { Database } from '@tradelane/persistence';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { SegmentService } from './segment.service';

/** Re-classifies every tenant's customers every CRM_SEGMENT_EVERY_HOURS in consuming processes. */
@Injectable()
export class SegmentJob implements BackgroundJob, OnModuleInit {
  readonly name = 'segments';
  private readonly log = new Logger(SegmentJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private initialised = false;

  constructor(
    private readonly segments: SegmentService,
    private readonly db: Database,
    private readonly jobs: BackgroundJobs,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    if (this.initialised) return; // Nest runs init hooks again when the bus transport starts
    this.initialised = true;
    this.jobs.register(this);
  }

  /** One pass over every tenant (also what the schedule runs). */
  async runOnce(): Promise<void> {
    const tenants = await this.db.sql<{ tenant: string }>(`SELECT DISTINCT tenant FROM crm_customer`);
    for (const { tenant } of tenants) await this.segments.classify({ tenant });
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((e) =>
          this.log.error(`scheduled classification failed, will try again: ${(e as Error).message}`),
        )
        .finally(() => (this.running = undefined));
    }, this.config.segmentEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
