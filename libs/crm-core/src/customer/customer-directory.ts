import { Injectable } from '@nestjs/common';
import { AppError, scopedTenant, visibleToRequest } from '@tradelane/http';
import { CustomerLookups } from './customer-lookup.repository';
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
    private readonly lookups: CustomerLookups,
  ) {}

  /**
   * The customer (its survivor when merged), or null; with `tenant`, only one of that tenant. A
   * request scoped to a tenant (its principal's) finds only that tenant's customers.
   */
  find(id: string, tenant?: string): Promise<CustomerView | null> {
    return this.customers.findById(tenant ?? scopedTenant(), id);
  }

  /** Whether any tenant has a customer yet (a fresh embedded database has none). */
  any(): Promise<boolean> {
    return this.lookups.any();
  }

  /** The customer row itself (a merged one too, not its survivor): id and tenant, or null. */
  async row(id: string): Promise<{ id: string; tenant: string } | null> {
    const r = await this.lookups.row(id);
    return r && visibleToRequest(r.tenant) ? r : null;
  }

  /** {@link find}, refusing with not-found. */
  async get(id: string, tenant?: string): Promise<CustomerView> {
    const c = await this.customers.findById(tenant ?? scopedTenant(), id);
    if (!c) throw new AppError('not-found', `customer ${id} not found`);
    return c;
  }

  /** Which of these ids are no customer of the tenant (linking a partner organisation checks them). */
  missing(tenant: string, ids: string[]): Promise<string[]> {
    return this.lookups.missing(tenant, ids);
  }

  /** The customer's oldest source record: how a record made here (a case) names its customer. */
  firstRecord(customerId: string): Promise<{ source: string; externalId: string } | null> {
    return this.lookups.firstRecord(customerId);
  }

  /** The customer a source record belongs to, by tenant, source and external id. */
  customerOfRecord(tenant: string, source: string, externalId: string): Promise<string | null> {
    return this.lookups.customerOfRecord(tenant, source, externalId);
  }

  /** The customers of many source records of one source: external id → customer id. */
  customersOfRecords(source: string, externalIds: string[]): Promise<Map<string, string>> {
    return this.lookups.customersOfRecords(source, externalIds);
  }
}
