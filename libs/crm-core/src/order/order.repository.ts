import { Injectable } from '@nestjs/common';
import { Envelope, OrderUpsertedV1, PartyRefV1 } from '@tradelane/contracts';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { upsertNewest, WrittenRow } from '../context/newest-wins.upsert';

const COLUMNS = {
  tenant: 'text',
  source: 'text',
  external_id: 'text',
  customer_source: 'text',
  customer_external_id: 'text',
  status: 'text',
  ordered_at: 'timestamptz',
  ordered_at_basis: 'text',
  required_at: 'timestamptz',
  shipped_at: 'timestamptz',
  carrier: 'text',
  currency: 'text',
  freight: 'numeric',
  total_amount: 'numeric',
  lines: 'jsonb',
  parties: 'jsonb',
};

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
      'crm_order',
      COLUMNS,
      events.map((e, i) => ({
        tenant: e.tenant,
        source: e.source,
        external_id: e.payload.externalId,
        customer_source: e.payload.customerSource ?? e.source,
        customer_external_id: e.payload.customerExternalId,
        status: e.payload.status ?? null,
        ordered_at: e.payload.orderedAt,
        ordered_at_basis: e.payload.orderedAtBasis ?? null,
        required_at: e.payload.requiredAt ?? null,
        shipped_at: e.payload.shippedAt ?? null,
        carrier: e.payload.carrier ?? null,
        currency: e.payload.currency ?? null,
        freight: e.payload.freight ?? null,
        total_amount: totals[i],
        lines: e.payload.lines ?? [],
        parties: parties[i],
        at: e.occurredAt,
        message_id: e.id,
      })),
    );
  }
}
