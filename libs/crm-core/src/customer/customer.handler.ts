import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CustomerUpsertedV1, Envelope } from '@tradelane/contracts';
import { BusContext, HandlerExtras } from '@tradelane/messaging';
import { CustomerService } from './customer.service';

@Controller()
export class CustomerHandler {
  constructor(private readonly customers: CustomerService) {}

  @EventPattern<string>('*.customer.upserted.v1', { batch: true } satisfies HandlerExtras)
  upserted(@Payload() events: Envelope<CustomerUpsertedV1>[], @Ctx() ctx: BusContext): Promise<void> {
    return this.customers.upsertMany(ctx, events);
  }
}
