import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type MergeKind = 'auto' | 'proposal' | 'manual';

/**
 * One merge of a customer into a survivor, with the exact records it moved, so an unmerge puts
 * every one of them (and so every order, delivery, invoice and interaction that names them) back.
 * An undone merge also stops automatic matching from merging the same pair again.
 */
@Entity({ name: 'crm_customer_merge' })
@Index('crm_customer_merge_survivor_idx', ['survivorId'])
@Index('crm_customer_merge_merged_idx', ['mergedId'])
export class CustomerMerge {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ name: 'survivor_id', type: 'uuid' })
  survivorId: string;

  @Column({ name: 'merged_id', type: 'uuid' })
  mergedId: string;

  @Column({ type: 'text' })
  kind: MergeKind;

  /** Match scheme (vat, duns...) or `manual`. */
  @Column({ type: 'text' })
  rule: string;

  /** The shared identifier value, or the reason a person gave. */
  @Column({ type: 'text', nullable: true })
  evidence: string | null;

  @Column({ name: 'moved_record_ids', type: 'uuid', array: true })
  movedRecordIds: string[];

  @Column({ type: 'text' })
  actor: string;

  @Column({ name: 'merged_at', type: 'timestamptz', default: () => 'now()' })
  mergedAt: Date;

  @Column({ name: 'unmerged_at', type: 'timestamptz', nullable: true })
  unmergedAt: Date | null;

  @Column({ name: 'unmerged_by', type: 'text', nullable: true })
  unmergedBy: string | null;
}
