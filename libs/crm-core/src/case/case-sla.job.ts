import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundJobs, IntervalJob } from '@tradelane/messaging';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { CaseSlaService } from './case-sla.service';

/** Checks open cases' SLA clocks every CRM_SLA_SWEEP_SECONDS, and at start (a restart catches up). */
@Injectable()
export class CaseSlaJob extends IntervalJob {
  readonly name = 'case-sla';
  protected readonly intervalMs: number;
  protected override readonly runAtStart = true;
  private readonly log = new Logger(CaseSlaJob.name);

  constructor(
    private readonly cases: CaseSlaService,
    jobs: BackgroundJobs,
    @Inject(CRM_CONFIG) config: CrmConfig,
  ) {
    super(jobs);
    this.intervalMs = config.slaSweepMs;
  }

  protected async tick(): Promise<void> {
    const n = await this.cases.sweep();
    if (n) this.log.log(`${n} SLA clock events recorded`);
  }
}
