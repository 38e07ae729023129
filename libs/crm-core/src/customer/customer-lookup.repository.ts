import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';

/** The customer feature's lookups over its source records and customers (for CustomerDirectory). */
@Injectable()
export class CustomerLookups {
  constructor(private readonly db: Database) {}

  /** Whether any tenant has a customer yet (a fresh embedded database has none). */
  async any(): Promise<boolean> {
    const [row] = await this.db.sql<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM crm_customer) AS any');
    return row.any;
  }

  /** The customer row itself (a merged one too, not its survivor): id and tenant, or null. */
  async row(id: string): Promise<{ id: string; tenant: string } | null> {
    const [c] = await this.db.sql<{ id: string; tenant: string }>(
      `SELECT id, tenant FROM crm_customer WHERE id = $1`,
      [id],
    );
    return c ?? null;
  }

  /** Which of these ids are no customer of the tenant (merged ones count: they still exist). */
  async missing(tenant: string, ids: string[]): Promise<string[]> {
    const found = await this.db.sql<{ id: string }>(
      `SELECT id FROM crm_customer WHERE tenant = $1 AND id = ANY($2::uuid[])`,
      [tenant, ids],
    );
    const have = new Set(found.map((r) => r.id));
    return ids.filter((id) => !have.has(id));
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
