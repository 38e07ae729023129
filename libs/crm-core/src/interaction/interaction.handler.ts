import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope, InteractionRecordedV1 } from '@tradelane/contracts';
import { BusContext, HandlerExtras } from '@tradelane/messaging';
import { InteractionService } from './interaction.service';

@Controller()
export class InteractionHandler {
  constructor(private readonly interactions: InteractionService) {}

  @EventPattern<string>('*.interaction.recorded.v1', { batch: true } satisfies HandlerExtras)
  recorded(@Payload() events: Envelope<InteractionRecordedV1>[], @Ctx() ctx: BusContext): Promise<void> {
    return this.interactions.recordMany(ctx, events);
  }
}
