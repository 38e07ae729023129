import { Inject, Injectable } from '@nestjs/common';
import { BackgroundJobs, IntervalJob, PROMETHEUS_REGISTRY } from '@tradelane/messaging';
import { Gauge, Registry } from 'prom-client';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { KpiService } from './kpi.service';

/** Refreshes the KPIs of changed records every CRM_KPI_REFRESH_SECONDS in consuming processes. */
@Injectable()
export class KpiRefreshJob extends IntervalJob {
  readonly name = 'kpi-refresh';
  protected readonly intervalMs: number;

  constructor(
    private readonly kpis: KpiService,
    jobs: BackgroundJobs,
    @Inject(CRM_CONFIG) config: CrmConfig,
    @Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry,
  ) {
    super(jobs);
    this.intervalMs = config.kpiRefreshMs;
  }

  protected override registered(): void {
    const kpis = this.kpis;
    new Gauge({
      name: 'tradelane_kpi_refresh_backlog',
      help: 'Changed records whose KPI facts are not derived yet',
      registers: [this.registry],
      async collect() {
        this.set(await kpis.pending());
      },
    });
  }

  protected tick(): Promise<unknown> {
    return this.kpis.drain();
  }
}
