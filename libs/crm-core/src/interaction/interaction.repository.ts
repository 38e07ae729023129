import { Injectable } from '@nestjs/common';
import { Envelope, InteractionRecordedV1 } from '@tradelane/contracts';
import { EntityManager } from 'typeorm';
import { upsertNewest, WrittenRow } from '../context/newest-wins.upsert';
import { Interaction } from './interaction.entity';

@Injectable()
export class InteractionRepository {
  upsertMany(tx: EntityManager, events: Envelope<InteractionRecordedV1>[]): Promise<WrittenRow[]> {
    return upsertNewest(
      tx,
      Interaction,
      events.map((e) => ({
        tenant: e.tenant,
        source: e.source,
        externalId: e.payload.externalId,
        customerSource: e.payload.customerSource ?? e.source,
        customerExternalId: e.payload.customerExternalId,
        channel: e.payload.channel,
        direction: e.payload.direction,
        subject: e.payload.subject,
        summary: e.payload.summary ?? null,
        actor: e.payload.actor ?? null,
        relatedRef: e.payload.relatedRef ?? null,
        occurredAt: e.occurredAt,
        at: e.occurredAt,
        messageId: e.id,
      })),
    );
  }
}
