import { Injectable } from '@nestjs/common';
import { CaseType } from '@tradelane/contracts';
import { Database } from '@tradelane/persistence';
import { customerOf } from '../customer/customer-of.sql';
import { ATTACHMENT_COLUMNS, CASE_COLUMNS, CASE_FROM, CaseAttachmentRow, CaseRow } from './case.model';

/** Which cases a queue shows: a tenant's, optionally by customer (as a party too), status, type, assignee, escalation. */
export interface CaseFilter {
  tenant: string;
  customerIds: string[] | null;
  status: string | null;
  type: string | null;
  assignee: string | null;
  escalated: boolean | null;
}

/**
 * The case feature's reads of its tables (crm_case with its parties, messages, clock events and the
 * knowledge base), so its services hold rules, not SQL; the writes are in CaseWrites.
 */
@Injectable()
export class CaseRepository {
  constructor(private readonly db: Database) {}

  async byId(id: string): Promise<CaseRow | undefined> {
    const [row] = await this.db.sql<CaseRow>(`SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE k.id = $1`, [
      id,
    ]);
    return row;
  }

  messagesOf(id: string) {
    return this.db.sql(
      `SELECT id, visibility, direction, author, body, at FROM crm_case_message WHERE case_id = $1 ORDER BY at, id`,
      [id],
    );
  }

  /** The files on a case's messages (without their bytes), oldest first. */
  attachmentsOf(id: string) {
    return this.db.sql<CaseAttachmentRow>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM crm_case_attachment WHERE case_id = $1 ORDER BY created_at, id`,
      [id],
    );
  }

  /** One file of a case, with its bytes. */
  async attachment(
    caseId: string,
    id: string,
  ): Promise<(CaseAttachmentRow & { content: Buffer }) | undefined> {
    const [row] = await this.db.sql<CaseAttachmentRow & { content: Buffer }>(
      `SELECT ${ATTACHMENT_COLUMNS}, content FROM crm_case_attachment WHERE case_id = $1 AND id = $2`,
      [caseId, id],
    );
    return row;
  }

  partiesOf(id: string) {
    return this.db.sql(
      `SELECT p.role, p.customer_source AS "customerSource", p.customer_external_id AS "customerExternalId", r.customer_id AS "customerId"
         FROM crm_case_party p ${customerOf('p', { left: true })}
        WHERE p.case_id = $1 ORDER BY p.role, p.customer_source, p.customer_external_id`,
      [id],
    );
  }

  slaEventsOf(id: string) {
    return this.db.sql(
      `SELECT clock, kind, due_at AS "dueAt", recorded_at AS "recordedAt" FROM crm_case_sla_event WHERE case_id = $1 ORDER BY recorded_at, clock`,
      [id],
    );
  }

  /** The tenant's own knowledge-base articles (of one case type, or all), oldest first. */
  articles(tenant: string, type: string | null) {
    return this.db.sql<{ id: string; caseType: CaseType; title: string; body: string }>(
      `SELECT id, case_type AS "caseType", title, body FROM crm_kb_article WHERE tenant = $1 AND ($2::text IS NULL OR case_type = $2)
        ORDER BY case_type, created_at`,
      [tenant, type],
    );
  }

  async addArticle(tenant: string, a: { caseType: CaseType; title: string; body: string }) {
    const [row] = await this.db.sql(
      `INSERT INTO crm_kb_article (tenant, case_type, title, body) VALUES ($1, $2, $3, $4)
       RETURNING id, case_type AS "caseType", title, body`,
      [tenant, a.caseType, a.title, a.body],
    );
    return row;
  }

  /** A page of the queue, newest first, with the total. */
  async page(f: CaseFilter, limit: number, offset: number): Promise<{ total: number; items: CaseRow[] }> {
    const where = `k.tenant = $1 AND ($2::uuid[] IS NULL OR r.customer_id = ANY($2::uuid[])
        OR k.id IN (SELECT p.case_id FROM crm_case_party p ${customerOf('p', { as: 'pr' })} WHERE pr.customer_id = ANY($2::uuid[])))
      AND ($3::text IS NULL OR k.status = $3) AND ($4::text IS NULL OR k.type = $4) AND ($5::text IS NULL OR k.assignee = $5)
      AND ($6::boolean IS NULL OR (k.escalation_level > 0) = $6)`;
    const params = [f.tenant, f.customerIds, f.status, f.type, f.assignee, f.escalated];
    const [total] = await this.db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${CASE_FROM} WHERE ${where}`,
      params,
    );
    const items = await this.db.sql<CaseRow>(
      `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE ${where} ORDER BY k.opened_at DESC, k.number DESC LIMIT $7 OFFSET $8`,
      [...params, limit, offset],
    );
    return { total: total.n, items };
  }
}
