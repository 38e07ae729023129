import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A timeline entry (e-mail, portal message, call, note, status) naming its customer record. */
@Entity({ name: 'crm_interaction' })
@Unique('crm_interaction_external_uq', ['tenant', 'source', 'externalId'])
@Index('crm_interaction_customer_ref_idx', ['tenant', 'customerSource', 'customerExternalId', 'occurredAt'])
export class Interaction {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Column({ name: 'customer_source', type: 'text' })
  customerSource: string;

  @Column({ name: 'customer_external_id', type: 'text' })
  customerExternalId: string;

  @Column({ type: 'text' })
  channel: string;

  @Column({ type: 'text' })
  direction: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text', nullable: true })
  summary: string | null;

  @Column({ type: 'text', nullable: true })
  actor: string | null;

  @Column({ name: 'related_ref', type: 'text', nullable: true })
  relatedRef: string | null;

  /** Event time: when the mail was sent, the call took place... */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

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
