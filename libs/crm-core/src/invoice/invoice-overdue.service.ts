import { Inject, Injectable } from '@nestjs/common';
import { createEnvelope } from '@tradelane/contracts';
import { TransactionRunner } from '../context/transaction.runner';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { CRM_SOURCE } from '../customer/customer.constants';
import { InvoiceRepository } from './invoice.repository';

/** Invoices one transaction raises at most (a backlog goes in several). */
const BATCH = 500;

/**
 * `crm.invoice.overdue.v1`: an open invoice (OPEN or PARTIALLY_PAID, something left to pay) whose
 * due date passed, once per due date: the invoice keeps the due date it was raised for
 * (overdue_raised_for), set in the transaction that emits the event (the outbox), so a restart, a
 * second worker or a re-sent invoice never raises it twice; a due date moved later and passed
 * again raises it again. Only invoices due within the look-back raise it, so the first run on
 * years of history announces no old arrears. For partner webhooks (`invoice.overdue`, the invoice
 * as the partner may see it), e-mail and the ERP.
 */
@Injectable()
export class InvoiceOverdueService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly invoices: InvoiceRepository,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /** Raises every invoice that is due; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.tx.run(async (uow) => {
        const raised = await this.invoices.raiseOverdue(
          uow.tx,
          now,
          this.config.invoiceOverdueLookbackDays,
          BATCH,
        );
        await uow.emit(
          raised.map((r) =>
            createEnvelope({
              type: 'crm.invoice.overdue.v1',
              source: CRM_SOURCE,
              tenant: r.tenant,
              key: r.id,
              payload: { resource: 'invoices', recordId: r.id, status: 'overdue' },
            }),
          ),
        );
        return raised.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }
}
