import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { BackgroundJob, BackgroundJobs, PROMETHEUS_REGISTRY } from '@tradelane/messaging';
import { Gauge, Registry } from 'prom-client';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { KpiService } from './kpi.service';

/** Refreshes the KPIs of changed records every CRM_KPI_REFRESH_SECONDS in consuming processes. */
@Injectable()
export class KpiRefreshJob implements BackgroundJob, OnModuleInit {
  readonly name = 'kpi-refresh';
  private readonly log = new Logger(KpiRefreshJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private initialised = false;

  constructor(
    private readonly kpis: KpiService,
    private readonly jobs: BackgroundJobs,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
    @Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry,
  ) {}

  onModuleInit(): void {
    if (this.initialised) return; // Nest runs init hooks again when the bus transport starts
    this.initialised = true;
    this.jobs.register(this);
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

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.kpis
        .drain()
        .catch((e) => this.log.error(`KPI refresh failed, will try again: ${(e as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.config.kpiRefreshMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
