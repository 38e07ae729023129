import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An identifier a customer record carries (normalised): external id, VAT, EORI, DUNS, ERP customer
 * no., e-mail, e-mail domain, name + postal code. Identifiers of every version a source ever sent
 * are kept (evidence accumulates), so matching does not depend on the order events arrive in.
 * Serves both identity resolution and search by identifier.
 */
@Entity({ name: 'crm_customer_identifier' })
@Index('crm_customer_identifier_value_idx', ['tenant', 'value', 'scheme'])
export class CustomerIdentifier {
  @PrimaryColumn({ name: 'record_id', type: 'uuid' })
  recordId: string;

  @PrimaryColumn({ type: 'text' })
  scheme: string;

  @PrimaryColumn({ type: 'text' })
  value: string;

  @Column({ type: 'text' })
  tenant: string;
}
