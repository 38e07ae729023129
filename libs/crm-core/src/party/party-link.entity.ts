import { PartyRole } from '@tradelane/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type PartySubject = 'order' | 'delivery';

/**
 * The role a customer plays in one order or delivery (customer, shipper, consignee, bill-to...).
 * Logistics customers are dual, so the role sits on this relation, never on the customer.
 */
@Entity({ name: 'crm_party_link' })
@Index('crm_party_link_customer_idx', ['tenant', 'customerSource', 'customerExternalId'])
export class PartyLink {
  @PrimaryColumn({ name: 'subject_type', type: 'text' })
  subjectType: PartySubject;

  @PrimaryColumn({ name: 'subject_id', type: 'uuid' })
  subjectId: string;

  @PrimaryColumn({ type: 'text' })
  role: PartyRole;

  @PrimaryColumn({ name: 'customer_source', type: 'text' })
  customerSource: string;

  @PrimaryColumn({ name: 'customer_external_id', type: 'text' })
  customerExternalId: string;

  @Column({ type: 'text' })
  tenant: string;
}
