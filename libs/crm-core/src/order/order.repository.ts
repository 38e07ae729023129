import { Injectable } from '@nestjs/common';
import { Envelope, OrderUpsertedV1 } from '@tradelane/contracts';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { Order } from './order.entity';

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
    const col = <T>(f: (e: Envelope<OrderUpsertedV1>) => T) => events.map(f);
    await tx.query(
      `INSERT INTO crm_order AS o (tenant, source, external_id, customer_external_id, customer_id, ordered_at,
                                   required_at, shipped_at, carrier, currency, freight, total_amount, lines,
                                   source_updated_at, source_message_id)
       SELECT t.tenant, t.source, t.external_id, t.customer_external_id, c.id, t.ordered_at, t.required_at,
              t.shipped_at, t.carrier, t.currency, t.freight, t.total_amount, t.lines, t.at, t.message_id
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                     $7::timestamptz[], $8::text[], $9::text[], $10::numeric[], $11::numeric[], $12::jsonb[],
                     $13::timestamptz[], $14::uuid[])
              AS t(tenant, source, external_id, customer_external_id, ordered_at, required_at, shipped_at, carrier,
                   currency, freight, total_amount, lines, at, message_id)
         LEFT JOIN crm_customer c
           ON c.tenant = t.tenant AND c.source = t.source AND c.external_id = t.customer_external_id
       ON CONFLICT (tenant, source, external_id) DO UPDATE SET
         customer_external_id = EXCLUDED.customer_external_id,
         customer_id = COALESCE(EXCLUDED.customer_id, o.customer_id),
         ordered_at = EXCLUDED.ordered_at, required_at = EXCLUDED.required_at, shipped_at = EXCLUDED.shipped_at,
         carrier = EXCLUDED.carrier, currency = EXCLUDED.currency, freight = EXCLUDED.freight,
         total_amount = EXCLUDED.total_amount, lines = EXCLUDED.lines, source_updated_at = EXCLUDED.source_updated_at,
         source_message_id = EXCLUDED.source_message_id, revision = o.revision + 1, updated_at = now()
       WHERE (o.source_updated_at, o.source_message_id) < (EXCLUDED.source_updated_at, EXCLUDED.source_message_id)`,
      [
        col((e) => e.tenant),
        col((e) => e.source),
        col((e) => e.payload.externalId),
        col((e) => e.payload.customerExternalId),
        col((e) => e.payload.orderedAt),
        col((e) => e.payload.requiredAt ?? null),
        col((e) => e.payload.shippedAt ?? null),
        col((e) => e.payload.carrier ?? null),
        col((e) => e.payload.currency ?? null),
        col((e) => e.payload.freight ?? null),
        totals,
        col((e) => JSON.stringify(e.payload.lines ?? [])),
        col((e) => e.occurredAt),
        col((e) => e.id),
      ],
    );
  }

  forCustomer(customerId: string, limit: number, offset: number): Promise<[Order[], number]> {
    return this.db.read((m) =>
      m.getRepository(Order).findAndCount({
        where: { customerId },
        order: { orderedAt: 'DESC', externalId: 'DESC' },
        take: limit,
        skip: offset,
      }),
    );
  }

  async totalsForCustomer(customerId: string): Promise<OrderTotals> {
    const [row] = await this.db.sql<{ n: string; total: string | null }>(
      `SELECT count(*) AS n, sum(total_amount) AS total FROM crm_order WHERE customer_id = $1`,
      [customerId],
    );
    return { count: Number(row.n), totalAmount: row.total ?? '0' };
  }
}
