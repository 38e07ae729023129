import { Injectable } from '@nestjs/common';
import { CASE_TYPES } from '@tradelane/contracts';
import { AppError } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { CustomerRepository } from '../customer/customer.repository';
import { CaseSlaService } from './case-sla.service';
import { CASE_COLUMNS, CASE_FROM, CaseRow } from './case.model';
import { CASE_STATUSES, formatCaseNumber, STANDARD_RESOLUTIONS, TRANSITIONS } from './case.util';

/** Reading cases: one with its parties, messages, clock events and suggested resolutions; the queue. */
@Injectable()
export class CaseQueryService {
  constructor(
    private readonly db: Database,
    private readonly sla: CaseSlaService,
    private readonly customers: CustomerRepository,
  ) {}

  async row(id: string): Promise<CaseRow> {
    const [row] = await this.db.sql<CaseRow>(`SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE k.id = $1`, [
      id,
    ]);
    if (!row) throw new AppError('not-found', `case ${id} not found`);
    return row;
  }

  async get(id: string) {
    const k = await this.row(id);
    const [messages, parties, slaEvents, articles] = await Promise.all([
      this.db.sql(
        `SELECT id, visibility, direction, author, body, at FROM crm_case_message WHERE case_id = $1 ORDER BY at, id`,
        [id],
      ),
      this.db.sql(
        `SELECT p.role, p.customer_source AS "customerSource", p.customer_external_id AS "customerExternalId", r.customer_id AS "customerId"
           FROM crm_case_party p LEFT JOIN crm_customer_record r ON r.tenant = p.tenant AND r.source = p.customer_source
            AND r.external_id = p.customer_external_id
          WHERE p.case_id = $1 ORDER BY p.role, p.customer_source, p.customer_external_id`,
        [id],
      ),
      this.db.sql(
        `SELECT clock, kind, due_at AS "dueAt", recorded_at AS "recordedAt" FROM crm_case_sla_event WHERE case_id = $1 ORDER BY recorded_at, clock`,
        [id],
      ),
      this.db.sql(
        `SELECT id, title, body FROM crm_kb_article WHERE tenant = $1 AND case_type = $2 ORDER BY created_at`,
        [k.tenant, k.type],
      ),
    ]);
    return {
      ...k,
      number: formatCaseNumber(k.number),
      clocks: this.sla.clocksOf(k),
      allowedTransitions: TRANSITIONS[k.status],
      parties,
      messages,
      slaEvents,
      suggestedResolutions: [...articles, ...STANDARD_RESOLUTIONS[k.type].map((a) => ({ id: null, ...a }))],
    };
  }

  async list(q: {
    tenant?: string;
    customerId?: string;
    status?: string;
    type?: string;
    assignee?: string;
    escalated?: boolean;
    limit?: number;
    offset?: number;
  }) {
    if (q.status && !(CASE_STATUSES as readonly string[]).includes(q.status))
      throw new AppError('invalid', `status must be one of ${CASE_STATUSES.join(', ')}`);
    if (q.type && !(CASE_TYPES as readonly string[]).includes(q.type))
      throw new AppError('invalid', `type must be one of ${CASE_TYPES.join(', ')}`);
    let customerIds: string[] | null = null;
    if (q.customerId) {
      const c = await this.customers.findById(undefined, q.customerId);
      if (!c) throw new AppError('not-found', `customer ${q.customerId} not found`);
      customerIds = [c.id];
    }
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const offset = Math.max(q.offset ?? 0, 0);
    const where = `k.tenant = $1 AND ($2::uuid[] IS NULL OR r.customer_id = ANY($2::uuid[])
        OR k.id IN (SELECT p.case_id FROM crm_case_party p JOIN crm_customer_record pr ON pr.tenant = p.tenant
                     AND pr.source = p.customer_source AND pr.external_id = p.customer_external_id WHERE pr.customer_id = ANY($2::uuid[])))
      AND ($3::text IS NULL OR k.status = $3) AND ($4::text IS NULL OR k.type = $4) AND ($5::text IS NULL OR k.assignee = $5)
      AND ($6::boolean IS NULL OR (k.escalation_level > 0) = $6)`;
    const params = [
      q.tenant ?? 'default',
      customerIds,
      q.status ?? null,
      q.type ?? null,
      q.assignee ?? null,
      q.escalated ?? null,
    ];
    const [total] = await this.db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${CASE_FROM} WHERE ${where}`,
      params,
    );
    const items = await this.db.sql<CaseRow>(
      `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE ${where} ORDER BY k.opened_at DESC, k.number DESC LIMIT $7 OFFSET $8`,
      [...params, limit, offset],
    );
    return {
      total: total.n,
      limit,
      offset,
      items: items.map((k) => ({ ...k, number: formatCaseNumber(k.number) })),
    };
  }
}
