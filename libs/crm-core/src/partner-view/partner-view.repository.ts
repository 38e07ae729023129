import { Injectable } from '@nestjs/common';
import { AppError, scopedPartner } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { ATTACHMENT_COLUMNS, CaseAttachmentRow, withAttachments } from '../case/case.model';
import { COMMITTED_BEFORE_ALL_OPEN } from '../context/feed-position';
import { PARTNER_RESOURCES, PartnerResource, PartnerResourceName } from './partner-resources';

export interface PartnerListQuery {
  limit: number;
  cursor?: string;
  status?: string;
  /** Only records changed at or after this time. */
  updatedSince?: Date;
  /** The resource's business date ({@link PartnerResource.date}) from (inclusive) / to (exclusive). */
  from?: Date;
  to?: Date;
  /** Equality filters the resource declares (sku, warehouse...). */
  filters?: Record<string, string>;
  /** Boolean filters the resource declares (overdue, open). */
  flags?: Record<string, boolean>;
}

export interface PartnerPage {
  items: Record<string, unknown>[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

const encodeCursor = (xid: string, id: string) =>
  Buffer.from(JSON.stringify([xid, id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      /^\d{1,19}$/.test(v[0]) &&
      typeof v[1] === 'string' &&
      /^[0-9a-f-]{36}$/i.test(v[1])
    )
      return [v[0], v[1]];
  } catch {
    // answered below
  }
  throw new AppError('invalid', 'cursor: not a cursor of this list (pass nextCursor as it came)');
}

/**
 * The partner API's reads. Its SQL names no partner and no customer: every statement of a partner's
 * request runs in a transaction set to that partner (Database), where the partner scope policies
 * (migration PartnerScope1700000026000) leave only the records one of its customers is a party to.
 * Refuses to run outside such a request, so it can never serve a whole tenant.
 */
@Injectable()
export class PartnerViewRepository {
  constructor(private readonly db: Database) {}

  /**
   * One page of a resource in commit order ({@link COMMITTED_BEFORE_ALL_OPEN}), with the fields
   * `fields` names (all of `visible` when absent).
   */
  async list(resource: PartnerResourceName, q: PartnerListQuery, fields: Fields): Promise<PartnerPage> {
    scopedToPartner();
    const r: PartnerResource = PARTNER_RESOURCES[resource];
    const where: string[] = [COMMITTED_BEFORE_ALL_OPEN];
    const params: unknown[] = [];
    const param = (v: unknown) => `$${params.push(v)}`;
    if (q.cursor) {
      const [xid, id] = decodeCursor(q.cursor);
      where.push(`(created_xid, id) > (${param(xid)}::bigint, ${param(id)}::uuid)`);
    }
    if (q.status !== undefined && r.status) where.push(`${r.status} = ${param(q.status)}`);
    if (q.updatedSince) where.push(`updated_at >= ${param(q.updatedSince)}`);
    if (q.from) where.push(`${r.date} >= ${param(q.from)}`);
    if (q.to) where.push(`${r.date} < ${param(q.to)}`);
    for (const [name, value] of Object.entries(q.filters ?? {})) {
      const column = r.filters?.[name];
      if (column && value !== undefined) where.push(`${column} = ${param(value)}`);
    }
    for (const [name, on] of Object.entries(q.flags ?? {})) {
      const condition = r.flags?.[name];
      if (condition && on !== undefined) where.push(on ? `(${condition})` : `NOT (${condition})`);
    }
    const rows = await this.db.sql<Record<string, unknown> & { _x: string }>(
      `SELECT ${selectList(fields)}, created_xid::text AS _x FROM ${r.table}
        WHERE ${where.join(' AND ')}
        ORDER BY created_xid, id LIMIT ${param(q.limit + 1)}`,
      params,
    );
    const more = rows.length > q.limit;
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ _x, _id, ...item }) => item),
      nextCursor: more && last ? encodeCursor(last._x, String(last._id)) : null,
    };
  }

  async get(resource: PartnerResourceName, id: string, fields: Fields): Promise<Record<string, unknown>> {
    scopedToPartner();
    const r: PartnerResource = PARTNER_RESOURCES[resource];
    const [row] = await this.db.sql<Record<string, unknown>>(
      `SELECT ${selectList(fields)} FROM ${r.table} WHERE id = $1`,
      [id],
    );
    // Another partner's record and no record at all answer the same: existence does not leak.
    if (!row) throw new AppError('not-found', `${resource.replace(/s$/, '')} ${id} not found`);
    const { _id, ...item } = row;
    return item;
  }

  /** A shipment's status events, oldest first. */
  shipmentEvents(source: string, externalId: string): Promise<Record<string, unknown>[]> {
    scopedToPartner();
    return this.db.sql(
      `SELECT status, occurred_at AS "occurredAt", payload->>'location' AS location,
              payload->>'exceptionType' AS "exceptionType", payload->>'note' AS note
         FROM crm_delivery_event WHERE source = $1 AND delivery_external_id = $2
        ORDER BY occurred_at, recorded_at`,
      [source, externalId],
    );
  }

  /** A case's messages the customer may see, oldest first (internal notes are never a partner's). */
  /** A case's messages meant for the customer, each with the files sent with it (metadata). */
  async caseMessages(caseId: string): Promise<Record<string, unknown>[]> {
    scopedToPartner();
    const [messages, files] = await Promise.all([
      this.db.sql<{ id: string }>(
        `SELECT id, direction, author, body, at FROM crm_case_message WHERE case_id = $1 ORDER BY at, id`,
        [caseId],
      ),
      this.db.sql<CaseAttachmentRow>(
        `SELECT ${ATTACHMENT_COLUMNS} FROM crm_case_attachment WHERE case_id = $1 ORDER BY created_at, id`,
        [caseId],
      ),
    ]);
    return withAttachments(messages, files);
  }

  /** One file of one of its cases, with its bytes (none when the message it came with is not for it). */
  async caseAttachment(
    caseId: string,
    id: string,
  ): Promise<(CaseAttachmentRow & { content: Uint8Array }) | undefined> {
    scopedToPartner();
    const [row] = await this.db.sql<CaseAttachmentRow & { content: Uint8Array }>(
      `SELECT ${ATTACHMENT_COLUMNS}, content FROM crm_case_attachment WHERE case_id = $1 AND id = $2`,
      [caseId, id],
    );
    return row;
  }

  /**
   * Its customers' service KPIs per period against the agreed targets (the values the KPI jobs
   * computed; the partner scope leaves its customers' only), newest period first.
   */
  scorecard(q: { period: string; from?: Date; to?: Date; kpi?: string }): Promise<Record<string, unknown>[]> {
    scopedToPartner();
    const params: unknown[] = [q.period];
    const where = ['v.period = $1'];
    if (q.from) where.push(`v.period_start >= $${params.push(q.from.toISOString().slice(0, 10))}::date`);
    if (q.to) where.push(`v.period_start < $${params.push(q.to.toISOString().slice(0, 10))}::date`);
    if (q.kpi) where.push(`v.kpi = $${params.push(q.kpi)}`);
    return this.db.sql(
      `SELECT v.customer_id AS "customerId", c.name AS "customerName", v.kpi, v.period,
              v.period_start::text AS "periodStart", v.n, v.hits, v.value::float8 AS value,
              v.target::float8 AS target, v.met
         FROM crm_kpi_value v JOIN crm_customer c ON c.id = v.customer_id
        WHERE ${where.join(' AND ')}
        ORDER BY v.period_start DESC, c.name, v.kpi LIMIT 1000`,
      params,
    );
  }

  /** The customers the partner is (their survivors, when merged). */
  customers(): Promise<Record<string, unknown>[]> {
    scopedToPartner();
    return this.db.sql(
      `SELECT id, name, city, country FROM crm_customer WHERE status = 'active' ORDER BY name, id`,
    );
  }
}

/** Field name → SQL of the fields to show. */
export type Fields = Record<string, string>;

/** The select list of `fields`, plus the id the cursor needs (as `_id`, whether shown or not). */
function selectList(fields: Fields): string {
  return [...Object.entries(fields).map(([name, sql]) => `${sql} AS "${name}"`), 'id AS _id'].join(', ');
}

function scopedToPartner(): void {
  if (scopedPartner() === undefined)
    throw new Error('the partner view runs only in a partner request (its scope is what it shows)');
}
