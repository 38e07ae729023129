import { Injectable } from '@nestjs/common';
import { Envelope, OrderUpsertedV1 } from '@tradelane/contracts';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { Order } from './order.entity';

/** How an order names its customer: the customer's id in the same tenant and source. */
export interface CustomerRef {
  tenant: string;
  source: string;
  externalId: string;
}

export interface OrderTotals {
  count: number;
  totalAmount: string;
}

@Injectable()
export class OrderRepository {
  constructor(private readonly db: Database) {}

  /** Set-based upsert by (tenant, source, external id), newest event wins; links the customer if known. */
  async upsertMany(
    tx: EntityManager,
    events: Envelope<OrderUpsertedV1>[],
    totals: (string | null)[],
  ): Promise<void> {
    if (!events.length) return;
    // One JSON parameter (native JSON.stringify) rather than 14 arrays escaped by node-postgres.
    const rows = events.map((e, i) => ({
      tenant: e.tenant,
      source: e.source,
      external_id: e.payload.externalId,
      customer_external_id: e.payload.customerExternalId,
      ordered_at: e.payload.orderedAt,
      required_at: e.payload.requiredAt ?? null,
      shipped_at: e.payload.shippedAt ?? null,
      carrier: e.payload.carrier ?? null,
      currency: e.payload.currency ?? null,
      freight: e.payload.freight ?? null,
      total_amount: totals[i],
      lines: e.payload.lines ?? [],
      at: e.occurredAt,
      message_id: e.id,
    }));
    await tx.query(
      `INSERT INTO crm_order AS o (tenant, source, external_id, customer_external_id, ordered_at, required_at,
                                   shipped_at, carrier, currency, freight, total_amount, lines, source_updated_at,
                                   source_message_id)
       SELECT t.tenant, t.source, t.external_id, t.customer_external_id, t.ordered_at, t.required_at, t.shipped_at,
              t.carrier, t.currency, t.freight, t.total_amount, t.lines, t.at, t.message_id
         FROM jsonb_to_recordset($1::jsonb)
              AS t(tenant text, source text, external_id text, customer_external_id text, ordered_at timestamptz,
                   required_at timestamptz, shipped_at timestamptz, carrier text, currency text, freight numeric,
                   total_amount numeric, lines jsonb, at timestamptz, message_id uuid)
       ON CONFLICT (tenant, source, external_id) DO UPDATE SET
         customer_external_id = EXCLUDED.customer_external_id,
         ordered_at = EXCLUDED.ordered_at, required_at = EXCLUDED.required_at, shipped_at = EXCLUDED.shipped_at,
         carrier = EXCLUDED.carrier, currency = EXCLUDED.currency, freight = EXCLUDED.freight,
         total_amount = EXCLUDED.total_amount, lines = EXCLUDED.lines, source_updated_at = EXCLUDED.source_updated_at,
         source_message_id = EXCLUDED.source_message_id, revision = o.revision + 1, updated_at = now()
       WHERE (o.source_updated_at, o.source_message_id) < (EXCLUDED.source_updated_at, EXCLUDED.source_message_id)`,
      [JSON.stringify(rows)],
    );
  }

  /** Orders that name this customer (same tenant and source), newest first. */
  forCustomer(c: CustomerRef, limit: number, offset: number): Promise<[Order[], number]> {
    return this.db.read((m) =>
      m.getRepository(Order).findAndCount({
        where: { tenant: c.tenant, source: c.source, customerExternalId: c.externalId },
        order: { orderedAt: 'DESC', externalId: 'DESC' },
        take: limit,
        skip: offset,
      }),
    );
  }

  async totalsForCustomer(c: CustomerRef): Promise<OrderTotals> {
    const [row] = await this.db.sql<{ n: string; total: string | null }>(
      `SELECT count(*) AS n, sum(total_amount) AS total FROM crm_order
        WHERE tenant = $1 AND source = $2 AND customer_external_id = $3`,
      [c.tenant, c.source, c.externalId],
    );
    return { count: Number(row.n), totalAmount: row.total ?? '0' };
  }
}
