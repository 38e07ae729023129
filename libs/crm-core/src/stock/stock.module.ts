import { Module } from '@nestjs/common';
import { StockHandler, StockService } from './stock.service';

/** A customer's stock at the warehouses: current levels and their history. */
@Module({
  controllers: [StockHandler],
  providers: [StockService],
})
export class StockModule {}
