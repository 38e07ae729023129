import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { BackgroundJob, BackgroundJobs } from '@tradelane/messaging';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { CaseService } from './case.service';

/** Checks open cases' SLA clocks every CRM_SLA_SWEEP_SECONDS in consuming processes. */
@Injectable()
export class CaseSlaJob implements BackgroundJob, OnModuleInit {
  readonly name = 'case-sla';
  private readonly log = new Logger(CaseSlaJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private initialised = false;

  constructor(
    private readonly cases: CaseService,
    private readonly jobs: BackgroundJobs,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  onModuleInit(): void {
    if (this.initialised) return; // Nest runs init hooks again when the bus transport starts
    this.initialised = true;
    this.jobs.register(this);
  }

  start(): void {
    const tick = () => {
      if (this.running) return;
      this.running = this.cases
        .sweep()
        .then((n) => n && this.log.log(`${n} SLA clock events recorded`))
        .catch((e) => this.log.error(`SLA sweep failed, will try again: ${(e as Error).message}`))
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.config.slaSweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
