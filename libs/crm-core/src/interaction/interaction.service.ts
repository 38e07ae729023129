import { Injectable } from '@nestjs/common';
import { Envelope, InteractionRecordedV1 } from '@tradelane/contracts';
import { eventSourceKey, latestByKey } from '../context/latest-by-key.util';
import { RecordsWritten } from '../context/records-written';
import { countOlderThanStored, UnitOfWork } from '../context/unit-of-work';
import { ReferenceService } from '../reference/reference.service';
import { InteractionRepository } from './interaction.repository';

@Injectable()
export class InteractionService {
  constructor(
    private readonly recordsWritten: RecordsWritten,
    private readonly interactions: InteractionRepository,
    private readonly references: ReferenceService,
  ) {}

  /** Records timeline entries (a corrected entry, newer, replaces the older one). */
  async recordMany(uow: UnitOfWork, events: Envelope<InteractionRecordedV1>[]): Promise<void> {
    const latest = latestByKey(events, eventSourceKey);
    const written = await this.interactions.upsertMany(uow.tx, latest);
    countOlderThanStored(uow, 'interaction', latest.length, written.length);
    await this.recordsWritten.publish(uow, { kind: 'interaction', events: latest, written });
  }
}
