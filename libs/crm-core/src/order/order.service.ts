import { Injectable } from '@nestjs/common';
import { Envelope, OrderUpsertedV1 } from '@tradelane/contracts';
import { latestByKey } from '../context/latest-by-key.util';
import { UnitOfWork } from '../context/unit-of-work';
import { orderTotal } from './order-total.util';
import { Order } from './order.entity';
import { CustomerRef, OrderRepository, OrderTotals } from './order.repository';

@Injectable()
export class OrderService {
  constructor(private readonly orders: OrderRepository) {}

  /** Upserts orders (newest event wins). An order may arrive before its customer: it names it, no link to fix. */
  async upsertMany(uow: UnitOfWork, events: Envelope<OrderUpsertedV1>[]): Promise<void> {
    const latest = latestByKey(events, (e) => `${e.tenant}\u0000${e.source}\u0000${e.payload.externalId}`);
    await this.orders.upsertMany(
      uow.tx,
      latest,
      latest.map((e) => orderTotal(e.payload.lines)),
    );
  }

  forCustomer(customer: CustomerRef, limit: number, offset: number): Promise<[Order[], number]> {
    return this.orders.forCustomer(customer, limit, offset);
  }

  totalsForCustomer(customer: CustomerRef): Promise<OrderTotals> {
    return this.orders.totalsForCustomer(customer);
  }
}
