import { Injectable } from '@nestjs/common';
import { createEnvelope, CustomerUpsertedV1, Envelope } from '@tradelane/contracts';
import { latestByKey } from '../context/latest-by-key.util';
import { UnitOfWork } from '../context/unit-of-work';
import { Customer } from './customer.entity';
import { CustomerRepository, CustomerSearch } from './customer.repository';

export const CRM_SOURCE = 'tradelane-crm';

@Injectable()
export class CustomerService {
  constructor(private readonly customers: CustomerRepository) {}

  /**
   * Applies customer events from any connector: upsert by external id (newest event wins) and emit `crm.customer.created|updated.v1` for each
   * changed row. The event names the origin source so its connector does not echo it back.
   */
  async upsertMany(uow: UnitOfWork, events: Envelope<CustomerUpsertedV1>[]): Promise<void> {
    const keyOf = (tenant: string, source: string, externalId: string) =>
      `${tenant}\u0000${source}\u0000${externalId}`;
    const latest = latestByKey(events, (e) => keyOf(e.tenant, e.source, e.payload.externalId));
    const changed = await this.customers.upsertMany(uow.tx, latest);
    if (!changed.length) return;
    const byKey = new Map(latest.map((e) => [keyOf(e.tenant, e.source, e.payload.externalId), e]));
    await uow.emit(
      changed.map((c) => {
        const cause = byKey.get(keyOf(c.tenant, c.source, c.externalId)) as Envelope<CustomerUpsertedV1>;
        return createEnvelope({
          type: c.created ? 'crm.customer.created.v1' : 'crm.customer.updated.v1',
          source: CRM_SOURCE,
          tenant: c.tenant,
          key: c.id,
          occurredAt: cause.occurredAt,
          causedBy: cause,
          payload: { customerId: c.id, originSource: c.source, originExternalId: c.externalId },
        });
      }),
    );
  }

  search(s: CustomerSearch): Promise<[Customer[], number]> {
    return this.customers.search(s);
  }

  get(id: string): Promise<Customer | null> {
    return this.customers.findById(id);
  }
}
