import { Module } from '@nestjs/common';
import { InvoiceHandler } from './invoice.handler';
import { InvoiceRepository } from './invoice.repository';
import { InvoiceService } from './invoice.service';

/** Invoices from every source, newest version wins. */
@Module({
  controllers: [InvoiceHandler],
  providers: [InvoiceRepository, InvoiceService],
})
export class InvoiceModule {}
