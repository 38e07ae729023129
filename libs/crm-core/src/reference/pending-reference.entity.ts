import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { ReferenceKind } from '../context/records-written';

export type { ReferenceKind } from '../context/records-written';

/**
 * A record stored before what it names (a delivery before its order, an invoice before its
 * customer). It is linked as soon as the parent arrives (the row is dropped then); one still
 * unresolved after the grace period goes to the dead-letter store with the field it is about.
 */
@Entity({ name: 'crm_pending_reference' })
@Index('crm_pending_reference_ref_idx', ['tenant', 'refKind', 'refSource', 'refExternalId'])
@Index('crm_pending_reference_seen_idx', ['firstSeenAt'])
export class PendingReference {
  @PrimaryColumn({ type: 'text' })
  tenant: string;

  /** order, delivery, invoice, interaction. */
  @PrimaryColumn({ type: 'text' })
  entity: string;

  @PrimaryColumn({ name: 'child_source', type: 'text' })
  childSource: string;

  @PrimaryColumn({ name: 'child_external_id', type: 'text' })
  childExternalId: string;

  /** Payload field holding the reference, e.g. `payload.customerExternalId`. */
  @PrimaryColumn({ type: 'text' })
  field: string;

  @Column({ name: 'ref_kind', type: 'text' })
  refKind: ReferenceKind;

  @Column({ name: 'ref_source', type: 'text' })
  refSource: string;

  @Column({ name: 'ref_external_id', type: 'text' })
  refExternalId: string;

  /** The message that carried the reference, kept whole so it can be dead-lettered and redriven. */
  @Column({ type: 'jsonb' })
  envelope: Record<string, unknown>;

  @Column({ name: 'first_seen_at', type: 'timestamptz', default: () => 'now()' })
  firstSeenAt: Date;
}
