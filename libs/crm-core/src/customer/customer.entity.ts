import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A customer (account) as one source system holds it. The foundation keeps one row per
 * (tenant, source instance, external id); identity resolution across sources builds on it.
 */
@Entity({ name: 'crm_customer' })
@Unique('crm_customer_external_uq', ['tenant', 'source', 'externalId'])
@Index('crm_customer_name_idx', ['name'])
export class Customer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  /** Connector instance the record came from. */
  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'vat_id', type: 'text', nullable: true })
  vatId: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  street: string | null;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ name: 'postal_code', type: 'text', nullable: true })
  postalCode: string | null;

  @Column({ type: 'text', nullable: true })
  country: string | null;

  /** Event time of the source version we hold: an older event never overwrites it. */
  @Column({ name: 'source_updated_at', type: 'timestamptz' })
  sourceUpdatedAt: Date;

  /** Number of source events applied to this row (1 after the first). */
  /** Id of the event that wrote this version: breaks ties between events with the same time. */
  @Column({ name: 'source_message_id', type: 'uuid' })
  sourceMessageId: string;

  @Column({ type: 'int', default: 1 })
  revision: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
