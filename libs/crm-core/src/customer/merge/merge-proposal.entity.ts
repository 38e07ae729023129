import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type ProposalStatus = 'pending' | 'accepted' | 'rejected' | 'superseded';

/** Two customers that share a weak identifier (name + postal code, e-mail domain): a person decides. */
@Entity({ name: 'crm_merge_proposal' })
@Unique('crm_merge_proposal_pair_uq', ['tenant', 'customerA', 'customerB'])
@Index('crm_merge_proposal_status_idx', ['tenant', 'status', 'createdAt'])
export class MergeProposal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  /** The pair, smaller id first. */
  @Column({ name: 'customer_a', type: 'uuid' })
  customerA: string;

  @Column({ name: 'customer_b', type: 'uuid' })
  customerB: string;

  @Column({ type: 'text' })
  rule: string;

  @Column({ type: 'text' })
  evidence: string;

  @Column({ type: 'text', default: 'pending' })
  status: ProposalStatus;

  @Column({ name: 'merge_id', type: 'uuid', nullable: true })
  mergeId: string | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
