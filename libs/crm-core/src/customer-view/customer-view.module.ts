import { Module } from '@nestjs/common';
import { CustomerModule } from '../customer/customer.module';
import { CustomerViewController } from './customer-view.controller';
import { CustomerViewRepository } from './customer-view.repository';
import { CustomerViewService } from './customer-view.service';

/** The customer 360 read model over every feature's records. */
@Module({
  imports: [CustomerModule],
  controllers: [CustomerViewController],
  providers: [CustomerViewRepository, CustomerViewService],
  exports: [CustomerViewService],
})
export class CustomerViewModule {}
