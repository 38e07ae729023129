import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const RESPONSE_KINDS = ['csat', 'nps', 'review', 'complaint'] as const;
export type ResponseKind = (typeof RESPONSE_KINDS)[number];

/**
 * One answer about a relationship: from a survey (CSAT, NPS), a review, or a complaint signal,
 * given by a department of a party the 3PL serves for the customer. Kept with its raw value and
 * scale; the index uses the value normalised to 0–100.
 */
@Entity({ name: 'crm_satisfaction_response' })
@Unique('crm_satisfaction_response_external_uq', ['tenant', 'source', 'externalId'])
@Index('crm_satisfaction_response_customer_idx', ['customerId', 'answeredAt'])
export class SatisfactionResponse {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  /** Unified customer (the relationship) the answer is about. */
  @Column({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  /** Where it came from (survey tool, import file...), with its id there: a re-import does not duplicate. */
  @Column({ type: 'text' })
  source: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  /** Served party, e.g. `supplier`, `retailer:Contoso`. */
  @Column({ type: 'text' })
  party: string;

  @Column({ type: 'text' })
  department: string;

  @Column({ type: 'text' })
  kind: ResponseKind;

  @Column({ name: 'raw_score', type: 'numeric', precision: 8, scale: 2 })
  rawScore: string;

  @Column({ name: 'scale_min', type: 'numeric', precision: 8, scale: 2 })
  scaleMin: string;

  @Column({ name: 'scale_max', type: 'numeric', precision: 8, scale: 2 })
  scaleMax: string;

  /** Normalised 0–100. */
  @Column({ type: 'numeric', precision: 6, scale: 2 })
  score: string;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'answered_at', type: 'timestamptz' })
  answeredAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
