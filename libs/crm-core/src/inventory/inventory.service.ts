import { Controller, Injectable } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope, InventoryCountedV1 } from '@tradelane/contracts';
import { BusContext, HandlerExtras } from '@tradelane/messaging';
import { eventSourceKey, latestByKey } from '../context/latest-by-key.util';
import { customerReferences, RecordsWritten } from '../context/records-written';
import { countOlderThanStored, UnitOfWork } from '../context/unit-of-work';
import { InventoryRepository } from './inventory.repository';

/** Warehouse counts (inventory accuracy): newest version wins, the customer may arrive later. */
@Injectable()
export class InventoryService {
  constructor(
    private readonly recordsWritten: RecordsWritten,
    private readonly counts: InventoryRepository,
  ) {}

  async counted(uow: UnitOfWork, events: Envelope<InventoryCountedV1>[]): Promise<void> {
    const latest = latestByKey(events, eventSourceKey);
    const written = await this.counts.upsertMany(uow.tx, latest);
    countOlderThanStored(uow, 'inventory-count', latest.length, written.length);
    await this.recordsWritten.publish(uow, {
      kind: 'inventory-count',
      rows: written,
      references: customerReferences(latest, written),
    });
  }
}

@Controller()
export class InventoryHandler {
  constructor(private readonly inventory: InventoryService) {}

  @EventPattern<string>('*.inventory.counted.v1', { batch: true } satisfies HandlerExtras)
  counted(@Payload() events: Envelope<InventoryCountedV1>[], @Ctx() ctx: BusContext): Promise<void> {
    return this.inventory.counted(ctx, events);
  }
}
