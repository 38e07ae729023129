import { Injectable } from '@nestjs/common';
import { Envelope, InventoryCountedV1 } from '@tradelane/contracts';
import { EntityManager } from 'typeorm';
import { upsertNewest, WrittenRow } from '../context/newest-wins.upsert';

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

/** The inventory feature's table: warehouse counts (crm_inventory_count), newest version wins. */
@Injectable()
export class InventoryRepository {
  upsertMany(tx: EntityManager, latest: Envelope<InventoryCountedV1>[]): Promise<WrittenRow[]> {
    return upsertNewest(
      tx,
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
  }
}
