import { Controller, Injectable } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope, InventoryCountedV1 } from '@tradelane/contracts';
import { BusContext, HandlerExtras } from '@tradelane/messaging';
import { eventSourceKey, latestByKey } from '../context/latest-by-key.util';
import { upsertNewest } from '../context/newest-wins.upsert';
import { customerReferences, RecordsWritten } from '../context/records-written';
import { countOlderThanStored, UnitOfWork } from '../context/unit-of-work';

const COLUMNS = {
  tenant: 'text',
  source: 'text',
  external_id: 'text',
  customer_source: 'text',
  customer_external_id: 'text',
  sku: 'text',
  location: 'text',
  counted_at: 'timestamptz',
  system_quantity: 'numeric',
  counted_quantity: 'numeric',
};

/** Warehouse counts (inventory accuracy): newest version wins, the customer may arrive later. */
@Injectable()
export class InventoryService {
  constructor(private readonly recordsWritten: RecordsWritten) {}

  async counted(uow: UnitOfWork, events: Envelope<InventoryCountedV1>[]): Promise<void> {
    const latest = latestByKey(events, eventSourceKey);
    const written = await upsertNewest(
      uow.tx,
      'crm_inventory_count',
      COLUMNS,
      latest.map((e) => ({
        tenant: e.tenant,
        source: e.source,
        external_id: e.payload.externalId,
        customer_source: e.payload.customerSource ?? e.source,
        customer_external_id: e.payload.customerExternalId,
        sku: e.payload.sku,
        location: e.payload.location ?? null,
        counted_at: e.payload.countedAt,
        system_quantity: e.payload.systemQuantity,
        counted_quantity: e.payload.countedQuantity,
        at: e.occurredAt,
        message_id: e.id,
      })),
    );
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
