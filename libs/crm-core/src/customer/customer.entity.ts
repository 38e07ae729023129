import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CustomerField, CustomerStatus } from './customer.constants';

export { CUSTOMER_FIELDS } from './customer.constants';
export type { CustomerField, CustomerStatus } from './customer.constants';

/** Where a customer field's value came from. */
export interface FieldProvenance {
  value: string | null;
  /** Connector instance. */
  source: string;
  /** Id of the customer record in that source. */
  sourceId: string;
  /** Event time of the source version the value was taken from. */
  at: string;
}

/**
 * The unified customer (account): one per real-world party, built from the customer records of
 * every source (`crm_customer_record`). Each field survives by per-field source priority and keeps
 * its provenance. A customer merged into another stays as a tombstone pointing at the survivor,
 * so its id keeps resolving and an unmerge can bring it back.
 */
@Entity({ name: 'crm_customer' })
@Index('crm_customer_search_name_idx', ['tenant', 'searchName'])
@Index('crm_customer_vat_idx', ['tenant', 'vatId'])
export class Customer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ type: 'text', default: 'active' })
  status: CustomerStatus;

  @Column({ name: 'merged_into', type: 'uuid', nullable: true })
  mergedInto: string | null;

  @Column({ type: 'text' })
  name: string;

  /** Lower-cased name in the C collation: prefix search uses the index. */
  @Column({ name: 'search_name', type: 'text', collation: 'C' })
  searchName: string;

  @Column({ name: 'vat_id', type: 'text', nullable: true })
  vatId: string | null;

  @Column({ type: 'text', nullable: true })
  eori: string | null;

  @Column({ type: 'text', nullable: true })
  duns: string | null;

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

  /** Per field: value, source, source id and event time of the record it survived from. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  provenance: Partial<Record<CustomerField, FieldProvenance>>;

  /** Number of times the unified fields changed. */
  @Column({ type: 'int', default: 1 })
  revision: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
