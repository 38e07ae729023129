import { Injectable } from '@nestjs/common';
import { Envelope, InteractionRecordedV1 } from '@tradelane/contracts';
import { EntityManager } from 'typeorm';
import { upsertNewest, WrittenRow } from '../context/newest-wins.upsert';

const COLUMNS = {
  tenant: 'text',
  source: 'text',
  external_id: 'text',
  customer_source: 'text',
  customer_external_id: 'text',
  channel: 'text',
  direction: 'text',
  subject: 'text',
  summary: 'text',
  actor: 'text',
  related_ref: 'text',
  occurred_at: 'timestamptz',
};

@Injectable()
export class InteractionRepository {
  upsertMany(tx: EntityManager, events: Envelope<InteractionRecordedV1>[]): Promise<WrittenRow[]> {
    return upsertNewest(
      tx,
      'crm_interaction',
      COLUMNS,
      events.map((e) => ({
        tenant: e.tenant,
        source: e.source,
        external_id: e.payload.externalId,
        customer_source: e.payload.customerSource ?? e.source,
        customer_external_id: e.payload.customerExternalId,
        channel: e.payload.channel,
        direction: e.payload.direction,
        subject: e.payload.subject,
        summary: e.payload.summary ?? null,
        actor: e.payload.actor ?? null,
        related_ref: e.payload.relatedRef ?? null,
        occurred_at: e.occurredAt,
        at: e.occurredAt,
        message_id: e.id,
      })),
    );
  }
}
