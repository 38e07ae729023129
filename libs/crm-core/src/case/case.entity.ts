import { Column, Entity, Generated, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { createdXidColumn } from '../context/feed-position';

/**
 * A complaint or service case. Its customer, order, delivery and invoice are named by source and
 * external id (like every child record), so merges and unmerges carry it along.
 */
@Entity({ name: 'crm_case' })
@Index('crm_case_feed_idx', ['tenant', 'createdXid', 'id'])
@Index('crm_case_origin_uq', ['tenant', 'originKey'], { unique: true, where: 'origin_key IS NOT NULL' })
@Index('crm_case_customer_ref_idx', ['tenant', 'customerSource', 'customerExternalId'])
@Index('crm_case_delivery_ref_idx', ['tenant', 'deliverySource', 'deliveryExternalId'])
@Index('crm_case_invoice_ref_idx', ['tenant', 'invoiceSource', 'invoiceExternalId'])
@Index('crm_case_open_idx', ['status', 'resolutionDueAt'])
export class Case {
  /** The inserting transaction (the partner lists' order: context/feed-position.ts). */
  @createdXidColumn() createdXid: string;
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ type: 'int', unique: true })
  @Generated('increment')
  number: number;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  priority: string;

  /** The rule that set the priority (or "set by <who>"). */
  @Column({ name: 'priority_reason', type: 'text' })
  priorityReason: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'text', nullable: true })
  assignee: string | null;

  /** api | delivery-exception */
  @Column({ type: 'text' })
  origin: string;

  /** What opened it automatically (one case per shipment and exception type). */
  @Column({ name: 'origin_key', type: 'text', nullable: true })
  originKey: string | null;

  @Column({ name: 'customer_source', type: 'text', nullable: true })
  customerSource: string | null;

  @Column({ name: 'customer_external_id', type: 'text', nullable: true })
  customerExternalId: string | null;

  @Column({ name: 'order_source', type: 'text', nullable: true })
  orderSource: string | null;

  @Column({ name: 'order_external_id', type: 'text', nullable: true })
  orderExternalId: string | null;

  @Column({ name: 'delivery_source', type: 'text', nullable: true })
  deliverySource: string | null;

  @Column({ name: 'delivery_external_id', type: 'text', nullable: true })
  deliveryExternalId: string | null;

  @Column({ name: 'invoice_source', type: 'text', nullable: true })
  invoiceSource: string | null;

  @Column({ name: 'invoice_external_id', type: 'text', nullable: true })
  invoiceExternalId: string | null;

  /** When the SLA clocks started. */
  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  @Column({ name: 'first_response_risk_at', type: 'timestamptz' })
  firstResponseRiskAt: Date;

  @Column({ name: 'first_response_due_at', type: 'timestamptz' })
  firstResponseDueAt: Date;

  @Column({ name: 'first_responded_at', type: 'timestamptz', nullable: true })
  firstRespondedAt: Date | null;

  @Column({ name: 'resolution_risk_at', type: 'timestamptz' })
  resolutionRiskAt: Date;

  @Column({ name: 'resolution_due_at', type: 'timestamptz' })
  resolutionDueAt: Date;

  /** When the resolution clock stopped (resolved or rejected). */
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  /** 0 on track, 1 a clock at risk, 2 a clock breached. */
  @Column({ name: 'escalation_level', type: 'int', default: 0 })
  escalationLevel: number;

  /** The agreement terms the clocks were computed with (minutes, calendar). */
  @Column({ type: 'jsonb' })
  sla: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** A customer a case concerns besides the payer: both sides of a failed shipment. */
@Entity({ name: 'crm_case_party' })
@Index('crm_case_party_customer_idx', ['tenant', 'customerSource', 'customerExternalId'])
export class CaseParty {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @PrimaryColumn({ type: 'text' })
  role: string;

  @PrimaryColumn({ name: 'customer_source', type: 'text' })
  customerSource: string;

  @PrimaryColumn({ name: 'customer_external_id', type: 'text' })
  customerExternalId: string;

  @Column({ type: 'text' })
  tenant: string;
}

/** An internal note or a customer-visible message on a case. */
@Entity({ name: 'crm_case_message' })
@Index('crm_case_message_case_idx', ['caseId', 'at'])
export class CaseMessage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  /** internal | customer */
  @Column({ type: 'text' })
  visibility: string;

  /** outbound (from us) | inbound (from the customer) */
  @Column({ type: 'text' })
  direction: string;

  @Column({ type: 'text' })
  author: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}

/** An SLA clock passing its at-risk point or due time: at most one row (and one event) each. */
@Entity({ name: 'crm_case_sla_event' })
export class CaseSlaEvent {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId: string;

  /** first-response | resolution */
  @PrimaryColumn({ type: 'text' })
  clock: string;

  /** at-risk | breached */
  @PrimaryColumn({ type: 'text' })
  kind: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt: Date;
}

/** A standard resolution for a case type (the knowledge base), suggested on cases of that type. */
@Entity({ name: 'crm_kb_article' })
@Index('crm_kb_article_type_idx', ['tenant', 'caseType'])
export class KbArticle {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ name: 'case_type', type: 'text' })
  caseType: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/**
 * A file on a case (a photo of the damage, a proof of delivery, a claim form), sent with one of its
 * messages: who may see it is the message's visibility (a partner sees it when it sees the message).
 * The bytes are kept in the database with the case, so backups, tenants and row-level security
 * cover them as they cover the rest.
 */
@Entity({ name: 'crm_case_attachment' })
@Index('crm_case_attachment_case_idx', ['caseId', 'createdAt'])
@Index('crm_case_attachment_message_idx', ['messageId'])
export class CaseAttachment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  tenant: string;

  @Column({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @Column({ name: 'message_id', type: 'uuid' })
  messageId: string;

  /** The sender's name for it, without any path. */
  @Column({ type: 'text' })
  filename: string;

  /** The type its bytes are (checked on upload, not taken from the sender). */
  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  @Column({ type: 'int' })
  size: number;

  @Column({ type: 'text' })
  sha256: string;

  @Column({ type: 'bytea', select: false })
  content: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
