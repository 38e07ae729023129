import { Injectable } from '@nestjs/common';
import { Envelope, OrderUpsertedV1, PartyRefV1 } from '@tradelane/contracts';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { upsertNewest, WrittenRow } from '../context/newest-wins.upsert';
import { Order } from './order.entity';

@Injectable()
export class OrderRepository {
  constructor(private readonly db: Database) {}

  /** How many orders a source has sent (every tenant). */
  async countFromSource(source: string): Promise<number> {
    const [{ n }] = await this.db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM crm_order WHERE source = $1`,
      [source],
    );
    return n;
  }

  /** Upsert by (tenant, source, external id), newest event wins; returns the rows written. */
  upsertMany(
    tx: EntityManager,
    events: Envelope<OrderUpsertedV1>[],
    totals: (string | null)[],
    parties: PartyRefV1[][],
  ): Promise<WrittenRow[]> {
    return upsertNewest(
      tx,
      Order,
      events.map((e, i) => ({
        tenant: e.tenant,
        source: e.source,
        externalId: e.payload.externalId,
        customerSource: e.payload.customerSource ?? e.source,
        customerExternalId: e.payload.customerExternalId,
        status: e.payload.status ?? null,
        orderedAt: e.payload.orderedAt,
        orderedAtBasis: e.payload.orderedAtBasis ?? null,
        requiredAt: e.payload.requiredAt ?? null,
        shippedAt: e.payload.shippedAt ?? null,
        carrier: e.payload.carrier ?? null,
        currency: e.payload.currency ?? null,
        freight: e.payload.freight ?? null,
        totalAmount: totals[i],
        lines: e.payload.lines ?? [],
        parties: parties[i],
        at: e.occurredAt,
        messageId: e.id,
      })),
    );
  }
}
