import { Inject, Injectable } from '@nestjs/common';
import { createEnvelope, CustomerUpsertedV1, Envelope } from '@tradelane/contracts';
import { randomUUID } from 'node:crypto';
import { eventSourceKey, latestByKey, sourceKey } from '../context/latest-by-key.util';
import { RecordsWritten } from '../context/records-written';
import { countOlderThanStored, UnitOfWork } from '../context/unit-of-work';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { CustomerGoldenService } from './customer-golden.service';
import { CRM_SOURCE } from './customer.constants';
import { CUSTOMER_FIELDS } from './customer.entity';
import { CustomerRepository, CustomerSearch, RecordKey, RecordRef } from './customer.repository';
import { identifiersOf, searchValues } from './identifier.util';
import { MergeService } from './merge/merge.service';

const contextOf = (e: Envelope) => e.type.split('.')[0];

@Injectable()
export class CustomerService {
  constructor(
    private readonly recordsWritten: RecordsWritten,
    private readonly customers: CustomerRepository,
    private readonly golden: CustomerGoldenService,
    private readonly merges: MergeService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /**
   * Applies customer events from any connector:
   * 1. upsert the source record by external id (newest event wins); a new record gets its own customer;
   * 2. keep every identifier the events carry, and run the match rules over those seen first now
   *    (strong: merge; weak: propose);
   * 3. recompute the unified customers touched (survivorship by source priority, with provenance);
   * 4. emit `crm.customer.created|updated.v1` naming the origin source, so it is not echoed back there.
   */
  async upsertMany(uow: UnitOfWork, events: Envelope<CustomerUpsertedV1>[]): Promise<void> {
    const { tx } = uow;
    const latest = latestByKey(events, eventSourceKey);
    const written = await this.customers.upsertRecords(
      tx,
      latest.map((e) => {
        const { externalId, ...data } = e.payload;
        return {
          tenant: e.tenant,
          source: e.source,
          externalId,
          context: contextOf(e),
          data,
          at: e.occurredAt,
          messageId: e.id,
          newCustomerId: randomUUID(),
        };
      }),
    );
    countOlderThanStored(uow, 'customer', latest.length, written.length);
    const byKey = new Map(latest.map((e) => [eventSourceKey(e), e]));
    const eventOf = (r: RecordKey) =>
      byKey.get(sourceKey(r.tenant, r.source, r.externalId)) as Envelope<CustomerUpsertedV1>;
    // A new record's customer is computed from that record alone and inserted whole.
    const created = written.filter((w) => w.created);
    await this.customers.insertCustomers(
      tx,
      created.map((w) => {
        const e = eventOf(w);
        const { externalId, ...data } = e.payload;
        const golden = this.golden.compute([
          { source: w.source, context: contextOf(e), externalId, data, at: e.occurredAt },
        ]);
        return { id: w.customerId, tenant: w.tenant, ...golden };
      }),
    );
    // Records that named these customers before they arrived are linked now, and their facts have
    // a customer to count for.
    await this.recordsWritten.publish(uow, {
      kind: 'customer',
      rows: created.map((w) => ({ tenant: w.tenant, id: w.customerId })),
      arrived: created,
    });

    // Identifiers of every event, older ones included: evidence accumulates, whatever the arrival order.
    const refs = new Map<string, RecordRef>(
      written.map((w) => [sourceKey(w.tenant, w.source, w.externalId), w]),
    );
    const unwritten = latest.filter((e) => !refs.has(eventSourceKey(e)));
    for (const r of await this.customers.recordRefs(
      tx,
      unwritten.map((e) => ({ tenant: e.tenant, source: e.source, externalId: e.payload.externalId })),
    ))
      refs.set(sourceKey(r.tenant, r.source, r.externalId), r);
    const identifiers = events.flatMap((e) => {
      const ref = refs.get(eventSourceKey(e)) as RecordRef;
      const { externalId, ...data } = e.payload;
      return identifiersOf(contextOf(e), externalId, data).map((i) => ({
        ...i,
        recordId: ref.recordId,
        tenant: e.tenant,
      }));
    });
    await this.customers.lockIdentifiers(tx, this.merges.matchingKeys(identifiers));
    const fresh = await this.customers.addIdentifiers(tx, identifiers);
    const survivors = await this.merges.match(uow, fresh, events[0]);

    // Which customer each written record belongs to now (a merge may have moved it), and refresh
    // the customers whose records changed (new ones were computed above) and the survivors.
    const now = survivors.length ? await this.customers.recordRefs(tx, written) : written;
    const homeOf = new Map(created.map((c) => [c.recordId, c.customerId]));
    const refreshed = await this.golden.refresh(tx, [
      ...new Set([...now.filter((r) => !homeOf.has(r.recordId)).map((r) => r.customerId), ...survivors]),
    ]);
    const causeOf = new Map(now.map((r) => [r.customerId, eventOf(r)]));
    const announce = (
      type: 'crm.customer.created.v1' | 'crm.customer.updated.v1',
      customerId: string,
      tenant: string,
      cause: Envelope<CustomerUpsertedV1>,
      changed: string[],
    ) =>
      createEnvelope({
        type,
        source: CRM_SOURCE,
        tenant,
        key: customerId,
        occurredAt: cause.occurredAt,
        causedBy: cause,
        payload: {
          customerId,
          originSource: cause.source,
          originExternalId: cause.payload.externalId,
          changedFields: changed,
        },
      });
    const emitted = [
      // New customers not merged away in this same batch.
      ...now
        .filter((r) => homeOf.get(r.recordId) === r.customerId)
        .map((r) =>
          announce('crm.customer.created.v1', r.customerId, r.tenant, eventOf(r), [...CUSTOMER_FIELDS]),
        ),
      ...refreshed
        .filter((r) => r.changed.length)
        .map((r) =>
          announce(
            r.isNew ? 'crm.customer.created.v1' : 'crm.customer.updated.v1',
            r.customerId,
            r.tenant,
            causeOf.get(r.customerId) ?? events[0],
            r.changed,
          ),
        ),
    ];
    if (emitted.length) await uow.emit(emitted);
  }

  search(s: CustomerSearch) {
    return this.customers.search(s, s.q ? searchValues(s.q) : []);
  }

  get(tenant: string | undefined, id: string) {
    return this.customers.findById(tenant, id);
  }

  get matchRules() {
    return this.config.matchRules;
  }
}
