import { Column, PrimaryGeneratedColumn } from 'typeorm';

/** A record as one source (connector instance) holds it, keyed by (tenant, source, external id). */
export abstract class SourceKeyedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  /** Connector instance, e.g. `erp-odoo:main`. */
  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** A source record whose newest version wins (event time, then message id). */
export abstract class SourceVersionedEntity extends SourceKeyedEntity {
  /** Event time of the source version held: an older event never overwrites it. */
  @Column({ name: 'source_updated_at', type: 'timestamptz' })
  sourceUpdatedAt: Date;

  /** Id of the event that wrote this version: breaks ties between events with the same time. */
  @Column({ name: 'source_message_id', type: 'uuid' })
  sourceMessageId: string;

  /** Number of distinct versions applied. */
  @Column({ type: 'int', default: 1 })
  revision: number;
}

/** A source record that names its customer record (orders, invoices, interactions). */
export abstract class CustomerChildEntity extends SourceVersionedEntity {
  @Column({ name: 'customer_source', type: 'text' })
  customerSource: string;

  @Column({ name: 'customer_external_id', type: 'text' })
  customerExternalId: string;
}
