import { Inject, Injectable } from '@nestjs/common';
import { createEnvelope } from '@tradelane/contracts';
import { TransactionRunner } from '../context/transaction.runner';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { CRM_SOURCE } from '../customer/customer.constants';

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
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /** Raises every invoice that is due; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.tx.run(async (uow) => {
        // A statement ending in SELECT: TypeORM answers rows (a bare UPDATE answers [rows, count]).
        const raised = (await uow.tx.query(
          `WITH due AS (
             SELECT id FROM crm_invoice
              WHERE due_at < $1 AND due_at >= $1::timestamptz - make_interval(days => $2)
                AND status IN ('OPEN', 'PARTIALLY_PAID') AND total_amount > paid_amount
                AND overdue_raised_for IS DISTINCT FROM due_at
              ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED),
           raised AS (
             UPDATE crm_invoice i SET overdue_raised_for = i.due_at FROM due WHERE i.id = due.id
             RETURNING i.id, i.tenant, i.due_at)
           SELECT id, tenant FROM raised ORDER BY due_at, id`,
          [now.toISOString(), this.config.invoiceOverdueLookbackDays, BATCH],
        )) as { id: string; tenant: string }[];
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
