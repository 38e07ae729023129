import { Module } from '@nestjs/common';
import { StockRepository } from './stock.repository';
import { StockHandler, StockService } from './stock.service';

/** A customer's stock at the warehouses: current levels and their history. */
@Module({
  controllers: [StockHandler],
  providers: [StockRepository, StockService],
})
export class StockModule {}
