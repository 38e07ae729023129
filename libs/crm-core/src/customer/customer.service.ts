import { Inject, Injectable } from '@nestjs/common';
import { createEnvelope, CustomerUpsertedV1, Envelope } from '@tradelane/contracts';
import { randomUUID } from 'node:crypto';
import { latestByKey } from '../context/latest-by-key.util';
import { UnitOfWork } from '../context/unit-of-work';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { MergeService } from '../merge/merge.service';
import { ReferenceService } from '../reference/reference.service';
import { CustomerGoldenService } from './customer-golden.service';
import { CRM_SOURCE } from './customer.constants';
import { CustomerRepository, CustomerSearch, RecordRef } from './customer.repository';
import { identifiersOf, searchValues } from './identifier.util';

const keyOf = (tenant: string, source: string, externalId: string) =>
  `${tenant}\u0000${source}\u0000${externalId}`;
const eventKey = (e: Envelope<CustomerUpsertedV1>) => keyOf(e.tenant, e.source, e.payload.externalId);
const contextOf = (e: Envelope) => e.type.split('.')[0];

@Injectable()
export class CustomerService {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly golden: CustomerGoldenService,
    private readonly merges: MergeService,
    private readonly references: ReferenceService,
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
    const latest = latestByKey(events, eventKey);
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
    const byKey = new Map(latest.map((e) => [eventKey(e), e]));
    const created = written.filter((w) => w.created);
    await this.customers.insertCustomers(
      tx,
      created.map((w) => ({
        id: w.customerId,
        tenant: w.tenant,
        name: (byKey.get(keyOf(w.tenant, w.source, w.externalId)) as Envelope<CustomerUpsertedV1>).payload
          .name,
      })),
    );
    await this.references.parentsArrived(tx, 'customer', created);

    // Identifiers of every event, older ones included: evidence accumulates, whatever the arrival order.
    const refs = new Map<string, RecordRef>(
      (
        await this.customers.recordRefs(
          tx,
          latest.map((e) => ({ tenant: e.tenant, source: e.source, externalId: e.payload.externalId })),
        )
      ).map((r) => [keyOf(r.tenant, r.source, r.externalId), r]),
    );
    const identifiers = events.flatMap((e) => {
      const ref = refs.get(eventKey(e)) as RecordRef;
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

    // Which customer each changed record belongs to now (a merge may have moved it).
    const now = await this.customers.recordRefs(tx, written);
    const refreshed = await this.golden.refresh(tx, [
      ...new Set([...now.map((r) => r.customerId), ...survivors]),
    ]);
    const causeOf = new Map<string, Envelope<CustomerUpsertedV1>>();
    for (const r of now)
      causeOf.set(
        r.customerId,
        byKey.get(keyOf(r.tenant, r.source, r.externalId)) as Envelope<CustomerUpsertedV1>,
      );
    const emitted = refreshed
      .filter((r) => r.isNew || r.changed.length)
      .map((r) => {
        const cause = causeOf.get(r.customerId) ?? events[0];
        return createEnvelope({
          type: r.isNew ? 'crm.customer.created.v1' : 'crm.customer.updated.v1',
          source: CRM_SOURCE,
          tenant: r.tenant,
          key: r.customerId,
          occurredAt: cause.occurredAt,
          causedBy: cause,
          payload: {
            customerId: r.customerId,
            originSource: cause.source,
            originExternalId: cause.payload.externalId,
            changedFields: r.changed,
          },
        });
      });
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
