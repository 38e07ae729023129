import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope } from '@tradelane/contracts';
import { BusContext, CONNECTORS_OUT_CONSUMER, HandlerExtras } from '@tradelane/messaging';
import { ConnectorSendService } from './connector-send.service';

@Controller()
export class ConnectorSendHandler {
  constructor(private readonly sends: ConnectorSendService) {}

  @EventPattern<string>('crm.#', { batch: true, consumer: CONNECTORS_OUT_CONSUMER } satisfies HandlerExtras)
  owed(@Payload() events: Envelope[], @Ctx() ctx: BusContext): Promise<void> {
    return this.sends.enqueue(ctx, events);
  }
}
