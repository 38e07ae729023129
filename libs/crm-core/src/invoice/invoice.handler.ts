import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope, InvoiceUpsertedV1 } from '@tradelane/contracts';
import { BusContext, HandlerExtras } from '@tradelane/messaging';
import { InvoiceService } from './invoice.service';

@Controller()
export class InvoiceHandler {
  constructor(private readonly invoices: InvoiceService) {}

  @EventPattern<string>('*.invoice.upserted.v1', { batch: true } satisfies HandlerExtras)
  upserted(@Payload() events: Envelope<InvoiceUpsertedV1>[], @Ctx() ctx: BusContext): Promise<void> {
    return this.invoices.upsertMany(ctx, events);
  }
}
