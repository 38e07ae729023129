import { Module } from '@nestjs/common';
import { CustomerModule } from '../customer/customer.module';
import { SatisfactionController } from './satisfaction.controller';
import { SatisfactionRepository } from './satisfaction.repository';
import { SatisfactionService } from './satisfaction.service';

/** Satisfaction answers and the weighted index of a relationship. */
@Module({
  imports: [CustomerModule],
  controllers: [SatisfactionController],
  providers: [SatisfactionRepository, SatisfactionService],
  exports: [SatisfactionService],
})
export class SatisfactionModule {}
