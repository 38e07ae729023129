import { Injectable } from '@nestjs/common';
import { Envelope, InvoiceUpsertedV1 } from '@tradelane/contracts';
import { eventSourceKey, latestByKey } from '../context/latest-by-key.util';
import { customerReferences, RecordsWritten } from '../context/records-written';
import { countOlderThanStored, UnitOfWork } from '../context/unit-of-work';
import { InvoiceRepository } from './invoice.repository';

@Injectable()
export class InvoiceService {
  constructor(
    private readonly recordsWritten: RecordsWritten,
    private readonly invoices: InvoiceRepository,
  ) {}

  /** Upserts invoices (newest event wins); one before its customer is kept and linked when it arrives. */
  async upsertMany(uow: UnitOfWork, events: Envelope<InvoiceUpsertedV1>[]): Promise<void> {
    const latest = latestByKey(events, eventSourceKey);
    const written = await this.invoices.upsertMany(uow.tx, latest);
    countOlderThanStored(uow, 'invoice', latest.length, written.length);
    await this.recordsWritten.publish(uow, {
      kind: 'invoice',
      rows: written,
      references: customerReferences(latest, written),
    });
  }
}
