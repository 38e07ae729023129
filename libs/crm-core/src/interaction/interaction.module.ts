import { Module } from '@nestjs/common';
import { InteractionPrivacy } from './interaction-privacy.repository';
import { InteractionHandler } from './interaction.handler';
import { InteractionRepository } from './interaction.repository';
import { InteractionService } from './interaction.service';

/** Interactions on the customer timeline (calls, e-mails, notes, visits). */
@Module({
  controllers: [InteractionHandler],
  providers: [InteractionRepository, InteractionService, InteractionPrivacy],
})
export class InteractionModule {}
