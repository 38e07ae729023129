import { Inject, Injectable } from '@nestjs/common';
import { BackgroundJobs, IntervalJob, PROMETHEUS_REGISTRY } from '@tradelane/messaging';
import { Gauge, Registry } from 'prom-client';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { ReferenceService } from './reference.service';

/** Runs the unresolved-reference sweep every CRM_REFERENCE_SWEEP_SECONDS in consuming processes. */
@Injectable()
export class ReferenceSweepJob extends IntervalJob {
  readonly name = 'reference-sweep';
  protected readonly intervalMs: number;

  constructor(
    private readonly references: ReferenceService,
    jobs: BackgroundJobs,
    @Inject(CRM_CONFIG) config: CrmConfig,
    @Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry,
  ) {
    super(jobs);
    this.intervalMs = config.referenceSweepMs;
  }

  protected override registered(): void {
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

  protected tick(): Promise<unknown> {
    return this.references.sweep();
  }
}
