import { Injectable } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { CustomerRepository, CustomerView } from './customer.repository';

export type { CustomerView } from './customer.repository';

/**
 * What other features ask the customer feature, instead of reading its tables: a unified customer
 * by id (a merged id answers with its survivor) and the source records behind it.
 */
@Injectable()
export class CustomerDirectory {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly db: Database,
  ) {}

  /** The customer (its survivor when merged), or null; with `tenant`, only one of that tenant. */
  find(id: string, tenant?: string): Promise<CustomerView | null> {
    return this.customers.findById(tenant, id);
  }

  /** {@link find}, refusing with not-found. */
  async get(id: string, tenant?: string): Promise<CustomerView> {
    const c = await this.customers.findById(tenant, id);
    if (!c) throw new AppError('not-found', `customer ${id} not found`);
    return c;
  }

  /** The customer's oldest source record: how a record made here (a case) names its customer. */
  async firstRecord(customerId: string): Promise<{ source: string; externalId: string } | null> {
    const [r] = await this.db.sql<{ source: string; external_id: string }>(
      `SELECT source, external_id FROM crm_customer_record WHERE customer_id = $1 ORDER BY created_at, id LIMIT 1`,
      [customerId],
    );
    return r ? { source: r.source, externalId: r.external_id } : null;
  }

  /** The customer a source record belongs to, by tenant, source and external id. */
  async customerOfRecord(tenant: string, source: string, externalId: string): Promise<string | null> {
    const [r] = await this.db.sql<{ customer_id: string }>(
      `SELECT customer_id FROM crm_customer_record WHERE tenant = $1 AND source = $2 AND external_id = $3`,
      [tenant, source, externalId],
    );
    return r?.customer_id ?? null;
  }

  /** The customers of many source records of one source: external id → customer id. */
  async customersOfRecords(source: string, externalIds: string[]): Promise<Map<string, string>> {
    const rows = await this.db.sql<{ external_id: string; customer_id: string }>(
      `SELECT external_id, customer_id FROM crm_customer_record WHERE source = $1 AND external_id = ANY($2)`,
      [source, externalIds],
    );
    return new Map(rows.map((r) => [r.external_id, r.customer_id]));
  }
}
