import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A trading partner of a tenant (STYLE.md: the host keeps what plugins may not): who sends under
 * which interchange id (X12 ISA05/ISA06, EDIFACT UNB 0007/0004), which unified customer it is, and
 * the acknowledgement settings agreed. One interchange id per standard and tenant.
 */
@Entity({ name: 'edi_trading_partner' })
@Index('edi_trading_partner_interchange_uq', ['tenant', 'standard', 'qualifier', 'interchangeId'], {
  unique: true,
})
@Index('edi_trading_partner_outbound_idx', ['tenant', 'outboundInstanceId'])
export class EdiTradingPartner {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text', default: 'default' }) tenant: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) standard: string;
  @Column({ type: 'text', default: '' }) qualifier: string;
  /** Stored upper case: senders differ in case, ids do not. */
  @Column({ name: 'interchange_id', type: 'text' }) interchangeId: string;
  @Column({ name: 'customer_external_id', type: 'text', nullable: true }) customerExternalId: string | null;
  @Column({ name: 'customer_source', type: 'text', nullable: true }) customerSource: string | null;
  @Column({ type: 'text' }) acknowledgement: string;
  @Column({ name: 'control_counts', type: 'text', default: 'warn' }) controlCounts: string;
  @Column({ name: 'time_zone', type: 'text', default: 'UTC' }) timeZone: string;
  @Column({ name: 'payment_terms_days', type: 'int', default: 30 }) paymentTermsDays: number;
  @Column({ name: 'transaction_sets', type: 'text', array: true, default: () => "'{}'" })
  transactionSets: string[];
  @Column({ type: 'text', array: true, default: () => "'{}'" }) versions: string[];
  @Column({ type: 'text', default: 'active' }) status: string;
  /** The partner organisation whose scope decides what documents tell it (none: it is sent none). */
  @Column({ name: 'partner_id', type: 'uuid', nullable: true }) partnerId: string | null;
  /** The connector instance that writes its documents (its outbound folder / SFTP server). */
  @Column({ name: 'outbound_instance_id', type: 'text', nullable: true }) outboundInstanceId: string | null;
  /** The documents it asked for (214, 856, 810, 846; IFTSTA, DESADV, INVOIC, INVRPT). */
  @Column({ name: 'outbound_documents', type: 'text', array: true, default: () => "'{}'" })
  outboundDocuments: string[];
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt: Date;
}

/** A document sent to a trading partner about a record: what it said (its fingerprint) and when. */
@Entity({ name: 'edi_document_sent' })
export class EdiDocumentSent {
  @Column({ type: 'text' }) tenant: string;
  @PrimaryColumn({ name: 'trading_partner_id', type: 'uuid' }) tradingPartnerId: string;
  @PrimaryColumn({ type: 'text' }) document: string;
  @PrimaryColumn({ name: 'record_id', type: 'uuid' }) recordId: string;
  @Column({ type: 'text' }) fingerprint: string;
  @Column({ name: 'event_id', type: 'uuid' }) eventId: string;
  @Column({ type: 'int', default: 1 }) times: number;
  @Column({ name: 'sent_at', type: 'timestamptz', default: () => 'now()' }) sentAt: Date;
}

/** The next control number of each series (per tenant): taken in a committed transaction of its own. */
@Entity({ name: 'edi_control_series' })
export class EdiControlSeries {
  @PrimaryColumn({ type: 'text' }) tenant: string;
  @PrimaryColumn({ type: 'text' }) series: string;
  @Column({ name: 'next_value', type: 'bigint' }) nextValue: string;
}

/** A control number given for a key (an acknowledgement, a send): the same key gets it again. */
@Entity({ name: 'edi_control_number' })
export class EdiControlNumber {
  @PrimaryColumn({ type: 'text' }) tenant: string;
  @PrimaryColumn({ type: 'text' }) series: string;
  @PrimaryColumn({ name: 'for_key', type: 'text' }) forKey: string;
  @Column({ type: 'bigint' }) value: string;
  @Column({ name: 'given_at', type: 'timestamptz', default: () => 'now()' }) givenAt: Date;
}

/** Interchanges received per partner and control number, with a hash of their content. */
@Entity({ name: 'edi_interchange_received' })
@Index('edi_interchange_received_partner_idx', ['partnerId', 'receivedAt'])
export class EdiInterchangeReceived {
  @PrimaryColumn({ type: 'text' }) tenant: string;
  @PrimaryColumn({ name: 'partner_id', type: 'text' }) partnerId: string;
  @PrimaryColumn({ type: 'text' }) control: string;
  @Column({ name: 'content_hash', type: 'text' }) contentHash: string;
  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' }) receivedAt: Date;
  @Column({ name: 'times', type: 'int', default: 1 }) times: number;
}
