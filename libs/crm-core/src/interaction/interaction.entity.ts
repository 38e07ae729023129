import { Column, Entity, Index, Unique } from 'typeorm';
import { CustomerChildEntity } from '../context/source-record.entity';

/** A timeline entry (e-mail, portal message, call, note, status) naming its customer record. */
@Entity({ name: 'crm_interaction' })
@Unique('crm_interaction_external_uq', ['tenant', 'source', 'externalId'])
@Index('crm_interaction_customer_ref_idx', ['tenant', 'customerSource', 'customerExternalId', 'occurredAt'])
export class Interaction extends CustomerChildEntity {
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
}
