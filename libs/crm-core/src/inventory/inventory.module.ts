import { Module } from '@nestjs/common';
import { InventoryRepository } from './inventory.repository';
import { InventoryHandler, InventoryService } from './inventory.service';

/** Warehouse counts (inventory accuracy). */
@Module({
  controllers: [InventoryHandler],
  providers: [InventoryRepository, InventoryService],
})
export class InventoryModule {}
