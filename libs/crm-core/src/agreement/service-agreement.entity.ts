import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgreementOverrides } from './agreement.util';

/**
 * A service agreement: a tier's (no customer) or one customer's overrides on top of its tier. The
 * effective agreement of a customer = defaults ← its tier's row ← its own row.
 */
@Entity({ name: 'crm_service_agreement' })
@Index('crm_service_agreement_customer_uq', ['tenant', 'customerId'], {
  unique: true,
  where: 'customer_id IS NOT NULL',
})
@Index('crm_service_agreement_tier_uq', ['tenant', 'tier'], { unique: true, where: 'customer_id IS NULL' })
export class ServiceAgreement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  /** Tier the row defines (customer_id null), or the tier a customer is on. */
  @Column({ type: 'text' })
  tier: string;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId: string | null;

  /** Partial {@link AgreementSettings}: only what this level sets. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings: AgreementOverrides;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
