import { CustomerUpsertedV1 } from '@tradelane/contracts';
import { Column, Entity, Index, Unique } from 'typeorm';
import { SourceVersionedEntity } from '../context/source-record.entity';

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
@Index('crm_customer_record_home_idx', ['homeCustomerId'])
@Index('crm_customer_record_external_idx', ['tenant', 'externalId'])
export class CustomerRecord extends SourceVersionedEntity {
  /** Kind of system (`erp`, `wms`, `tms`, `email`, `portal`): the message type's context. */
  @Column({ type: 'text' })
  context: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ name: 'home_customer_id', type: 'uuid' })
  homeCustomerId: string;

  @Column({ type: 'jsonb' })
  data: CustomerRecordData;
}
