import { Column, Entity, Index, Unique } from 'typeorm';
import { CustomerChildEntity } from '../context/source-record.entity';

/** A warehouse count of one customer item at one location (inventory accuracy). */
@Entity({ name: 'crm_inventory_count' })
@Unique('crm_inventory_count_external_uq', ['tenant', 'source', 'externalId'])
@Index('crm_inventory_count_customer_ref_idx', ['tenant', 'customerSource', 'customerExternalId'])
export class InventoryCount extends CustomerChildEntity {
  @Column({ type: 'text' })
  sku: string;

  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ name: 'counted_at', type: 'timestamptz' })
  countedAt: Date;

  @Column({ name: 'system_quantity', type: 'numeric', precision: 14, scale: 3 })
  systemQuantity: string;

  @Column({ name: 'counted_quantity', type: 'numeric', precision: 14, scale: 3 })
  countedQuantity: string;
}
