import { Module } from '@nestjs/common';
import { CustomerModule } from '../customer/customer.module';
import { InteractionPrivacy } from './interaction-privacy.repository';
import { InteractionController } from './interaction.controller';
import { InteractionHandler } from './interaction.handler';
import { InteractionRepository } from './interaction.repository';
import { InteractionService } from './interaction.service';

/** Interactions on the customer timeline (calls, e-mails, notes, visits). */
@Module({
  imports: [CustomerModule],
  controllers: [InteractionHandler, InteractionController],
  providers: [InteractionRepository, InteractionService, InteractionPrivacy],
})
export class InteractionModule {}
