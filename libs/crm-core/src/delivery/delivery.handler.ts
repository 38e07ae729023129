import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DeliveryStatusChangedV1, Envelope } from '@tradelane/contracts';
import { BusContext, HandlerExtras } from '@tradelane/messaging';
import { DeliveryService } from './delivery.service';

@Controller()
export class DeliveryHandler {
  constructor(private readonly deliveries: DeliveryService) {}

  @EventPattern<string>('*.delivery.status-changed.v1', { batch: true } satisfies HandlerExtras)
  statusChanged(
    @Payload() events: Envelope<DeliveryStatusChangedV1>[],
    @Ctx() ctx: BusContext,
  ): Promise<void> {
    return this.deliveries.statusChanged(ctx, events);
  }
}
