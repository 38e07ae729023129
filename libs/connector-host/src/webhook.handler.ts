import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope, WebhookReceivedV1 } from '@tradelane/contracts';
import { BusContext, HandlerExtras } from '@tradelane/messaging';
import { WebhookService } from './webhook.service';

@Controller()
export class WebhookHandler {
  constructor(private readonly webhooks: WebhookService) {}

  @EventPattern<string>('connector.webhook.received.v1', { batch: true } satisfies HandlerExtras)
  received(@Payload() events: Envelope<WebhookReceivedV1>[], @Ctx() ctx: BusContext): Promise<void> {
    return this.webhooks.translate(ctx, events);
  }
}
