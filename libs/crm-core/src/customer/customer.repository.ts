import { Injectable } from '@nestjs/common';
import { CustomerUpsertedV1, Envelope } from '@tradelane/contracts';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { Customer } from './customer.entity';

export interface UpsertedCustomer {
  id: string;
  tenant: string;
  source: string;
  externalId: string;
  created: boolean;
}

export interface CustomerSearch {
  q?: string;
  source?: string;
  limit: number;
  offset: number;
}

@Injectable()
export class CustomerRepository {
  constructor(private readonly db: Database) {}

  /**
   * Set-based upsert by (tenant, source, external id). A row changes only when the event is newer
   * (event time, then message id) than the version it holds; returns the rows that changed.
   */
  async upsertMany(tx: EntityManager, events: Envelope<CustomerUpsertedV1>[]): Promise<UpsertedCustomer[]> {
    if (!events.length) return [];
    const input = events.map((e) => ({
      tenant: e.tenant,
      source: e.source,
      external_id: e.payload.externalId,
      name: e.payload.name,
      vat_id: e.payload.vatId ?? null,
      email: e.payload.email ?? null,
      phone: e.payload.phone ?? null,
      street: e.payload.street ?? null,
      city: e.payload.city ?? null,
      postal_code: e.payload.postalCode ?? null,
      country: e.payload.country ?? null,
      source_updated_at: e.occurredAt,
      source_message_id: e.id,
    }));
    const rows: { id: string; tenant: string; source: string; external_id: string; created: boolean }[] =
      await tx.query(
        `INSERT INTO crm_customer AS c (tenant, source, external_id, name, vat_id, email, phone, street, city,
                                        postal_code, country, source_updated_at, source_message_id)
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS t(tenant text, source text, external_id text, name text, vat_id text, email text, phone text,
                street text, city text, postal_code text, country text, source_updated_at timestamptz,
                source_message_id uuid)
         ON CONFLICT (tenant, source, external_id) DO UPDATE SET
           name = EXCLUDED.name, vat_id = EXCLUDED.vat_id, email = EXCLUDED.email, phone = EXCLUDED.phone,
           street = EXCLUDED.street, city = EXCLUDED.city, postal_code = EXCLUDED.postal_code,
           country = EXCLUDED.country, source_updated_at = EXCLUDED.source_updated_at,
           source_message_id = EXCLUDED.source_message_id, revision = c.revision + 1, updated_at = now()
         WHERE (c.source_updated_at, c.source_message_id) < (EXCLUDED.source_updated_at, EXCLUDED.source_message_id)
         RETURNING id, tenant, source, external_id, (xmax = 0) AS created`,
        [JSON.stringify(input)],
      );
    return rows.map((r) => ({
      id: r.id,
      tenant: r.tenant,
      source: r.source,
      externalId: r.external_id,
      created: r.created,
    }));
  }

  search(s: CustomerSearch): Promise<[Customer[], number]> {
    return this.db.read((m) => {
      const qb = m
        .getRepository(Customer)
        .createQueryBuilder('c')
        .orderBy('c.name', 'ASC')
        .addOrderBy('c.id')
        .skip(s.offset)
        .take(s.limit);
      if (s.q)
        qb.andWhere('(c.name ILIKE :q OR c.external_id = :exact OR c.vat_id = :exact OR c.email ILIKE :q)', {
          q: `%${s.q}%`,
          exact: s.q,
        });
      if (s.source) qb.andWhere('c.source = :source', { source: s.source });
      return qb.getManyAndCount();
    });
  }

  findById(id: string): Promise<Customer | null> {
    return this.db.read((m) => m.getRepository(Customer).findOneBy({ id }));
  }
}
