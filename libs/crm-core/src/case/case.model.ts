import { CasePriority, CaseType } from '@tradelane/contracts';
import { businessMinutesBetween } from '../context/business-hours.util';
import { customerOf } from '../customer/customer-of.sql';
import { CaseStatus } from './case.util';

export interface RecordRef {
  source: string;
  externalId: string;
}

export interface OpenCaseInput {
  customerId: string;
  type: CaseType;
  subject: string;
  description?: string;
  priority?: CasePriority;
  assignee?: string;
  order?: RecordRef;
  delivery?: RecordRef;
  invoice?: RecordRef;
  parties?: { role: string; source: string; externalId: string }[];
  author?: string;
}

export interface CaseSpec {
  tenant: string;
  type: CaseType;
  subject: string;
  description: string | null;
  priority?: CasePriority;
  priorityReason?: string;
  assignee: string | null;
  origin: 'api' | 'delivery-exception';
  originKey: string | null;
  customer: RecordRef | null;
  order: RecordRef | null;
  delivery: RecordRef | null;
  invoice: RecordRef | null;
  parties: { role: string; source: string; externalId: string }[];
  openedAt: Date;
}

export const EXCEPTION_CASES: Partial<Record<string, CaseType>> = {
  DAMAGE: 'damage',
  LOSS: 'loss',
  DELAY: 'delay',
  WRONG_DELIVERY: 'wrong_delivery',
};

export const CASE_COLUMNS = `k.id, k.tenant, k.number, k.type, k.priority, k.priority_reason AS "priorityReason", k.status,
  k.subject, k.description, k.assignee, k.origin, k.origin_key AS "originKey",
  r.customer_id AS "customerId", k.customer_source AS "customerSource", k.customer_external_id AS "customerExternalId",
  k.order_source AS "orderSource", k.order_external_id AS "orderExternalId",
  k.delivery_source AS "deliverySource", k.delivery_external_id AS "deliveryExternalId",
  k.invoice_source AS "invoiceSource", k.invoice_external_id AS "invoiceExternalId",
  k.opened_at AS "openedAt", k.first_response_due_at AS "firstResponseDueAt", k.first_responded_at AS "firstRespondedAt",
  k.resolution_due_at AS "resolutionDueAt", k.resolved_at AS "resolvedAt", k.resolution, k.escalation_level AS "escalationLevel",
  k.sla, k.created_at AS "createdAt", k.updated_at AS "updatedAt"`;
export const CASE_FROM = `crm_case k ${customerOf('k', { left: true })}`;

export type CaseRow = Record<string, unknown> & {
  id: string;
  tenant: string;
  number: number;
  status: CaseStatus;
  type: CaseType;
  customerId: string | null;
  openedAt: Date;
  firstRespondedAt: Date | null;
  resolvedAt: Date | null;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  sla: { calendar: Parameters<typeof businessMinutesBetween>[2] } & Record<string, unknown>;
};

/** A file on a case message, as the APIs show it (its bytes are read on their own). */
export interface CaseAttachmentRow {
  id: string;
  messageId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  at: Date;
}

export const ATTACHMENT_COLUMNS = `id, message_id AS "messageId", filename, content_type AS "contentType", size, sha256, created_at AS at`;

/** Each message with the files sent with it (metadata; the bytes are fetched one by one). */
export function withAttachments<M extends { id: string }>(
  messages: M[],
  files: CaseAttachmentRow[],
): (M & { attachments: Omit<CaseAttachmentRow, 'messageId'>[] })[] {
  const by = new Map<string, Omit<CaseAttachmentRow, 'messageId'>[]>();
  for (const { messageId, ...f } of files) by.set(messageId, [...(by.get(messageId) ?? []), f]);
  return messages.map((m) => ({ ...m, attachments: by.get(m.id) ?? [] }));
}
