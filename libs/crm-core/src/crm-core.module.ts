import { Module } from '@nestjs/common';
import { CustomerController } from './customer/customer.controller';
import { CustomerHandler } from './customer/customer.handler';
import { CustomerRepository } from './customer/customer.repository';
import { CustomerService } from './customer/customer.service';
import { OrderHandler } from './order/order.handler';
import { OrderRepository } from './order/order.repository';
import { OrderService } from './order/order.service';
import { SampleDataService } from './sample/sample-data.service';

/** The CRM domain: HTTP controllers and message handlers are thin adapters over the services. */
@Module({
  controllers: [CustomerController, CustomerHandler, OrderHandler],
  providers: [CustomerRepository, CustomerService, OrderRepository, OrderService, SampleDataService],
  exports: [CustomerService, OrderService, SampleDataService],
})
export class CrmCoreModule {}
