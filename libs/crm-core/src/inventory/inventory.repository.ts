import { Injectable } from '@nestjs/common';
import { Envelope, InventoryCountedV1 } from '@tradelane/contracts';
import { EntityManager } from 'typeorm';
import { upsertNewest, WrittenRow } from '../context/newest-wins.upsert';
import { InventoryCount } from './inventory-count.entity';

/** The inventory feature's table: warehouse counts (crm_inventory_count), newest version wins. */
@Injectable()
export class InventoryRepository {
  upsertMany(tx: EntityManager, latest: Envelope<InventoryCountedV1>[]): Promise<WrittenRow[]> {
    return upsertNewest(
      tx,
      InventoryCount,
      latest.map((e) => ({
        tenant: e.tenant,
        source: e.source,
        externalId: e.payload.externalId,
        customerSource: e.payload.customerSource ?? e.source,
        customerExternalId: e.payload.customerExternalId,
        sku: e.payload.sku,
        location: e.payload.location ?? null,
        countedAt: e.payload.countedAt,
        systemQuantity: e.payload.systemQuantity,
        countedQuantity: e.payload.countedQuantity,
        at: e.occurredAt,
        messageId: e.id,
      })),
    );
  }
}
