import { Injectable } from '@nestjs/common';
import { Envelope, InteractionRecordedV1 } from '@tradelane/contracts';
import { eventSourceKey, latestByKey } from '../context/latest-by-key.util';
import { customerReferences, RecordsWritten } from '../context/records-written';
import { countOlderThanStored, UnitOfWork } from '../context/unit-of-work';
import { InteractionRepository } from './interaction.repository';

@Injectable()
export class InteractionService {
  constructor(
    private readonly recordsWritten: RecordsWritten,
    private readonly interactions: InteractionRepository,
  ) {}

  /** Records timeline entries (a corrected entry, newer, replaces the older one). */
  async recordMany(uow: UnitOfWork, events: Envelope<InteractionRecordedV1>[]): Promise<void> {
    const latest = latestByKey(events, eventSourceKey);
    const written = await this.interactions.upsertMany(uow.tx, latest);
    countOlderThanStored(uow, 'interaction', latest.length, written.length);
    await this.recordsWritten.publish(uow, {
      kind: 'interaction',
      rows: written,
      references: customerReferences(latest, written),
    });
  }
}
