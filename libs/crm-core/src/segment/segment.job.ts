import { Inject, Injectable } from '@nestjs/common';
import { BackgroundJobs, IntervalJob } from '@tradelane/messaging';
import { Database } from '@tradelane/persistence';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { SegmentService } from './segment.service';

/** Re-classifies every tenant's customers every CRM_SEGMENT_EVERY_HOURS in consuming processes. */
@Injectable()
export class SegmentJob extends IntervalJob {
  readonly name = 'segments';
  protected readonly intervalMs: number;

  constructor(
    private readonly segments: SegmentService,
    private readonly db: Database,
    jobs: BackgroundJobs,
    @Inject(CRM_CONFIG) config: CrmConfig,
  ) {
    super(jobs);
    this.intervalMs = config.segmentEveryMs;
  }

  /** One pass over every tenant (what the schedule runs). */
  protected async tick(): Promise<void> {
    const tenants = await this.db.sql<{ tenant: string }>(`SELECT DISTINCT tenant FROM crm_customer`);
    for (const { tenant } of tenants) await this.segments.classify({ tenant });
  }
}
