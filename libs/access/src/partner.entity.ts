import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** The parts a partner organisation plays for the 3PL. */
export const PARTNER_KINDS = ['shipper', 'consignee', 'supplier', 'carrier', 'bill-to'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/**
 * A supply-chain partner of one tenant (a shipper, consignee, supplier or carrier), linked to the
 * unified customers it is. Its users and clients (auth_user, auth_token, auth_client with its
 * partner_id) see only the records where one of those customers is a party: the partner scope
 * policies of the database decide it (migration PartnerScope1700000026000).
 */
@Entity({ name: 'auth_partner' })
@Index('auth_partner_name_uq', ['tenant', 'name'], { unique: true })
export class PartnerOrganisation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  kinds: PartnerKind[];

  /** Who at the partner hears about its integration (failing webhooks, expiring keys). */
  @Column({ name: 'contact_email', type: 'text', nullable: true })
  contactEmail: string | null;

  /** disabled: its users and clients are refused from the next request on. */
  @Column({ type: 'text', default: 'active' })
  status: 'active' | 'disabled';

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** A unified customer a partner organisation is (a shipper may be several customers of the 3PL). */
@Entity({ name: 'auth_partner_customer' })
@Index('auth_partner_customer_customer_idx', ['tenant', 'customerId'])
export class PartnerCustomer {
  @PrimaryColumn({ name: 'partner_id', type: 'uuid' })
  partnerId: string;

  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
