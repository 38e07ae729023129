import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope, OrderUpsertedV1 } from '@tradelane/contracts';
import { BusContext, HandlerExtras } from '@tradelane/messaging';
import { OrderService } from './order.service';

@Controller()
export class OrderHandler {
  constructor(private readonly orders: OrderService) {}

  @EventPattern<string>('*.order.upserted.v1', { batch: true } satisfies HandlerExtras)
  upserted(@Payload() events: Envelope<OrderUpsertedV1>[], @Ctx() ctx: BusContext): Promise<void> {
    return this.orders.upsertMany(ctx, events);
  }
}
