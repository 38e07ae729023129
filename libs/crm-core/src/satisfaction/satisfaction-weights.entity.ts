import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SatisfactionWeights } from './satisfaction.util';

/** The weights of a relationship's satisfaction index (parties, and departments within each). */
@Entity({ name: 'crm_satisfaction_weights' })
export class SatisfactionWeightsRow {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ type: 'jsonb' })
  weights: SatisfactionWeights;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
