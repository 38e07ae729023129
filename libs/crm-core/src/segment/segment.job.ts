import { Inject, Injectable } from '@nestjs/common';
import { BackgroundJobs, IntervalJob } from '@tradelane/messaging';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { SegmentService } from './segment.service';

/** Re-classifies every tenant's customers every CRM_SEGMENT_EVERY_HOURS in consuming processes. */
@Injectable()
export class SegmentJob extends IntervalJob {
  readonly name = 'segments';
  protected readonly intervalMs: number;

  constructor(
    private readonly segments: SegmentService,
    jobs: BackgroundJobs,
    @Inject(CRM_CONFIG) config: CrmConfig,
  ) {
    super(jobs);
    this.intervalMs = config.segmentEveryMs;
  }

  /** One pass over every tenant (what the schedule runs). */
  protected async tick(): Promise<void> {
    for (const tenant of await this.segments.tenants()) await this.segments.classify({ tenant });
  }
}
