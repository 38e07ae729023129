import { Inject, Injectable, Logger } from '@nestjs/common';
import { BackgroundJobs, IntervalJob } from '@tradelane/messaging';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { InvoiceOverdueService } from './invoice-overdue.service';

/** Raises overdue invoices every CRM_INVOICE_OVERDUE_SWEEP_SECONDS, and at start (a restart catches up). */
@Injectable()
export class InvoiceOverdueJob extends IntervalJob {
  readonly name = 'invoice-overdue';
  protected readonly intervalMs: number;
  protected override readonly runAtStart = true;
  private readonly log = new Logger(InvoiceOverdueJob.name);

  constructor(
    private readonly overdue: InvoiceOverdueService,
    jobs: BackgroundJobs,
    @Inject(CRM_CONFIG) config: CrmConfig,
  ) {
    super(jobs);
    this.intervalMs = config.invoiceOverdueSweepMs;
  }

  protected async tick(): Promise<void> {
    const n = await this.overdue.sweep();
    if (n) this.log.log(`${n} invoices became overdue (crm.invoice.overdue.v1)`);
  }
}
