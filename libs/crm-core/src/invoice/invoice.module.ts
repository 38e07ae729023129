import { Module } from '@nestjs/common';
import { InvoiceOverdueJob } from './invoice-overdue.job';
import { InvoiceOverdueService } from './invoice-overdue.service';
import { InvoiceHandler } from './invoice.handler';
import { InvoiceRepository } from './invoice.repository';
import { InvoiceService } from './invoice.service';

/** Invoices from every source, newest version wins; crm.invoice.overdue.v1 when one passes its due date. */
@Module({
  controllers: [InvoiceHandler],
  providers: [InvoiceRepository, InvoiceService, InvoiceOverdueService, InvoiceOverdueJob],
  exports: [InvoiceOverdueService],
})
export class InvoiceModule {}
