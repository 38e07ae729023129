import { Injectable } from '@nestjs/common';
import { Envelope, OrderUpsertedV1 } from '@tradelane/contracts';
import { eventSourceKey, latestByKey, sourceKey } from '../context/latest-by-key.util';
import { partiesOf, resolveParties } from '../context/parties.util';
import { customerReferences, RecordsWritten } from '../context/records-written';
import { countOlderThanStored, UnitOfWork } from '../context/unit-of-work';
import { orderTotal } from './order-total.util';
import { OrderRepository } from './order.repository';

@Injectable()
export class OrderService {
  constructor(
    private readonly recordsWritten: RecordsWritten,
    private readonly orders: OrderRepository,
  ) {}

  /** How many orders a source has sent (every tenant). */
  countFromSource(source: string): Promise<number> {
    return this.orders.countFromSource(source);
  }

  /**
   * Upserts orders (newest event wins) with their party roles. An order may arrive before its
   * customer: it is kept, names the customer record, and is linked the moment that arrives.
   */
  async upsertMany(uow: UnitOfWork, events: Envelope<OrderUpsertedV1>[]): Promise<void> {
    const latest = latestByKey(events, eventSourceKey);
    const parties = latest.map((e) => resolveParties(e.payload.parties, e.source));
    const written = await this.orders.upsertMany(
      uow.tx,
      latest,
      latest.map((e) => orderTotal(e.payload.lines)),
      parties,
    );
    countOlderThanStored(uow, 'order', latest.length, written.length);
    if (!written.length) return;
    const index = new Map(latest.map((e, i) => [eventSourceKey(e), i]));
    const won = written.map((w) => index.get(sourceKey(w.tenant, w.source, w.externalId)) as number);
    await this.recordsWritten.publish(uow, {
      kind: 'order',
      rows: written,
      arrived: written.filter((w) => w.created),
      references: customerReferences(latest, written),
      parties: written.map((w, k) => ({
        subjectId: w.id,
        tenant: w.tenant,
        created: w.created,
        parties: partiesOf(parties[won[k]]),
      })),
    });
  }
}
