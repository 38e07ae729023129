import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { createdXidColumn } from '../context/feed-position';

/**
 * The current level of a customer's stock of one SKU and lot at one warehouse in one status, as
 * one source (a warehouse connector instance) reports it. `snapshot_at` is the time of the last
 * level reported as such (an inventory advice): changes older than it are in it already.
 */
@Entity({ name: 'crm_stock_level' })
@Index('crm_stock_level_feed_idx', ['tenant', 'createdXid', 'id'])
@Unique('crm_stock_level_key_uq', [
  'tenant',
  'source',
  'customerSource',
  'customerExternalId',
  'warehouse',
  'sku',
  'lot',
  'status',
])
@Index('crm_stock_level_customer_ref_idx', ['tenant', 'customerSource', 'customerExternalId', 'sku'])
export class StockLevel {
  /** The inserting transaction (the partner lists' order: context/feed-position.ts). */
  @createdXidColumn() createdXid: string;
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text' }) tenant: string;
  @Column({ type: 'text' }) source: string;
  @Column({ name: 'customer_source', type: 'text' }) customerSource: string;
  @Column({ name: 'customer_external_id', type: 'text' }) customerExternalId: string;
  @Column({ type: 'text' }) warehouse: string;
  @Column({ type: 'text' }) sku: string;
  /** '' when the stock has no lot. */
  @Column({ type: 'text', default: '' }) lot: string;
  @Column({ type: 'text' }) status: string;
  @Column({ type: 'numeric', precision: 16, scale: 3 }) quantity: string;
  @Column({ type: 'text', nullable: true }) unit: string | null;
  @Column({ name: 'snapshot_at', type: 'timestamptz', nullable: true }) snapshotAt: Date | null;
  @Column({ name: 'as_of', type: 'timestamptz' }) asOf: Date;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

/** Every stock event received (the history), with whether it moved the level and the level after. */
@Entity({ name: 'crm_stock_movement' })
@Index('crm_stock_movement_customer_ref_idx', [
  'tenant',
  'customerSource',
  'customerExternalId',
  'sku',
  'asOf',
])
export class StockMovement {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' }) messageId: string;
  @Column({ type: 'text' }) tenant: string;
  @Column({ type: 'text' }) source: string;
  @Column({ name: 'external_id', type: 'text' }) externalId: string;
  @Column({ name: 'customer_source', type: 'text' }) customerSource: string;
  @Column({ name: 'customer_external_id', type: 'text' }) customerExternalId: string;
  @Column({ type: 'text' }) warehouse: string;
  @Column({ type: 'text' }) sku: string;
  @Column({ type: 'text', default: '' }) lot: string;
  @Column({ type: 'text' }) status: string;
  @Column({ type: 'numeric', precision: 16, scale: 3, nullable: true }) quantity: string | null;
  @Column({ type: 'numeric', precision: 16, scale: 3, nullable: true }) change: string | null;
  @Column({ name: 'level_after', type: 'numeric', precision: 16, scale: 3 }) levelAfter: string;
  /** False: older than the last level reported, so already in it (kept for the history only). */
  @Column({ type: 'boolean' }) applied: boolean;
  @Column({ type: 'text' }) reason: string;
  @Column({ name: 'source_reason', type: 'text', nullable: true }) sourceReason: string | null;
  @Column({ name: 'as_of', type: 'timestamptz' }) asOf: Date;
  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' }) recordedAt: Date;
}
