import { Module } from '@nestjs/common';
import { OrderHandler } from './order.handler';
import { OrderRepository } from './order.repository';
import { OrderService } from './order.service';

/** Orders from every source, newest version wins. */
@Module({
  controllers: [OrderHandler],
  providers: [OrderRepository, OrderService],
  exports: [OrderService],
})
export class OrderModule {}
