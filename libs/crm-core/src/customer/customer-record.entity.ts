import { CustomerUpsertedV1 } from '@tradelane/contracts';
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** The payload of the newest source version, without its external id. */
export type CustomerRecordData = Omit<CustomerUpsertedV1, 'externalId'>;

/**
 * A customer as one source (connector instance) holds it: one row per (tenant, source, external id),
 * newest event wins. It belongs to one unified customer (`customerId`); merges move records, and
 * everything that names a customer (orders, deliveries, invoices, interactions) names a record, so
 * it follows the record. `homeCustomerId` is the customer the record was created under.
 */
@Entity({ name: 'crm_customer_record' })
@Unique('crm_customer_record_external_uq', ['tenant', 'source', 'externalId'])
@Index('crm_customer_record_customer_idx', ['customerId'])
export class CustomerRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  /** Connector instance, e.g. `erp-odoo:main`. */
  @Column({ type: 'text' })
  source: string;

  /** Kind of system (`erp`, `wms`, `tms`, `email`, `portal`): the message type's context. */
  @Column({ type: 'text' })
  context: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ name: 'home_customer_id', type: 'uuid' })
  homeCustomerId: string;

  @Column({ type: 'jsonb' })
  data: CustomerRecordData;

  @Column({ name: 'source_updated_at', type: 'timestamptz' })
  sourceUpdatedAt: Date;

  @Column({ name: 'source_message_id', type: 'uuid' })
  sourceMessageId: string;

  @Column({ type: 'int', default: 1 })
  revision: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
