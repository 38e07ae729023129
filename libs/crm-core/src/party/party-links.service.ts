import { Injectable, OnModuleInit } from '@nestjs/common';
import { RecordsChange, RecordsWritten, RecordsWrittenListener } from '../context/records-written';
import { UnitOfWork } from '../context/unit-of-work';
import { PartySubject } from './party-link.entity';
import { PartyRepository } from './party.repository';

const SUBJECTS = new Set<string>(['order', 'delivery'] satisfies PartySubject[]);

/**
 * The party links of orders and deliveries (shipper, consignee, bill-to, supplier...), replaced
 * in the writer's transaction from what the RecordsWritten hook says was written.
 */
@Injectable()
export class PartyLinks implements RecordsWrittenListener, OnModuleInit {
  constructor(
    private readonly parties: PartyRepository,
    private readonly written: RecordsWritten,
  ) {}

  onModuleInit(): void {
    this.written.subscribe(this);
  }

  async onRecordsWritten(uow: UnitOfWork, change: RecordsChange): Promise<void> {
    if (change.parties?.length && SUBJECTS.has(change.kind))
      await this.parties.replace(uow.tx, change.kind as PartySubject, change.parties);
  }
}
