import { Injectable } from '@nestjs/common';
import { AppError, scopedPartner } from '@tradelane/http';
import { Database } from '@tradelane/persistence';

/** What the partner API lists: one row per resource, the SQL of its columns (data, not ifs). */
interface Resource {
  table: string;
  /** The columns every partner with the resource's scope sees. */
  columns: string;
  /** Columns shown only with `invoices:read` (amounts). */
  amounts?: string;
  /** The column `?status=` filters on. */
  status?: string;
  /** Another filter column (`?sku=` of stock). */
  filter?: { param: string; column: string };
}

export const PARTNER_RESOURCES = {
  orders: {
    table: 'crm_order',
    columns: `id, source, external_id AS "externalId", status, ordered_at AS "orderedAt",
      required_at AS "requiredAt", shipped_at AS "shippedAt", carrier, lines,
      created_at AS "createdAt", updated_at AS "updatedAt"`,
    amounts: `currency, freight, total_amount AS "totalAmount"`,
    status: 'status',
  },
  shipments: {
    table: 'crm_delivery',
    columns: `id, source, external_id AS "externalId", order_external_id AS "orderExternalId", status,
      status_at AS "statusAt", carrier, tracking_refs AS "trackingRefs", promised_from AS "promisedFrom",
      promised_to AS "promisedTo", picked_up_at AS "pickedUpAt", delivered_at AS "deliveredAt", location,
      packages, created_at AS "createdAt", updated_at AS "updatedAt"`,
    status: 'status',
  },
  invoices: {
    table: 'crm_invoice',
    columns: `id, source, external_id AS "externalId", order_external_id AS "orderExternalId",
      issued_at AS "issuedAt", due_at AS "dueAt", currency, total_amount AS "totalAmount",
      paid_amount AS "paidAmount", status, disputed, created_at AS "createdAt", updated_at AS "updatedAt"`,
    status: 'status',
  },
  cases: {
    table: 'crm_case',
    columns: `id, number, type, priority, status, subject, order_external_id AS "orderExternalId",
      delivery_external_id AS "deliveryExternalId", invoice_external_id AS "invoiceExternalId",
      opened_at AS "openedAt", first_response_due_at AS "firstResponseDueAt",
      first_responded_at AS "firstRespondedAt", resolution_due_at AS "resolutionDueAt",
      resolved_at AS "resolvedAt", resolution, created_at AS "createdAt", updated_at AS "updatedAt"`,
    status: 'status',
  },
  stock: {
    table: 'crm_inventory_count',
    columns: `id, source, external_id AS "externalId", sku, location, counted_at AS "countedAt",
      system_quantity::float8 AS "systemQuantity", counted_quantity::float8 AS "countedQuantity",
      created_at AS "createdAt", updated_at AS "updatedAt"`,
    filter: { param: 'sku', column: 'sku' },
  },
} satisfies Record<string, Resource>;

export type PartnerResource = keyof typeof PARTNER_RESOURCES;

export interface PartnerListQuery {
  limit: number;
  cursor?: string;
  status?: string;
  sku?: string;
}

export interface PartnerPage {
  items: Record<string, unknown>[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      !Number.isNaN(Date.parse(v[0])) &&
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

  async list(resource: PartnerResource, q: PartnerListQuery, amounts: boolean): Promise<PartnerPage> {
    scopedToPartner();
    const r: Resource = PARTNER_RESOURCES[resource];
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.cursor) {
      const [at, id] = decodeCursor(q.cursor);
      params.push(at, id);
      where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    if (q.status !== undefined && r.status) {
      params.push(q.status);
      where.push(`${r.status} = $${params.length}`);
    }
    if (r.filter && q[r.filter.param as 'sku'] !== undefined) {
      params.push(q[r.filter.param as 'sku']);
      where.push(`${r.filter.column} = $${params.length}`);
    }
    params.push(q.limit + 1);
    const rows = await this.db.sql<Record<string, unknown> & { _at: string }>(
      `SELECT ${columnsOf(r, amounts)}, created_at::text AS _at FROM ${r.table}
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at, id LIMIT $${params.length}`,
      params,
    );
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(({ _at, ...item }) => item),
      nextCursor: more && last ? encodeCursor(last._at, String(last.id)) : null,
    };
  }

  async get(resource: PartnerResource, id: string, amounts: boolean): Promise<Record<string, unknown>> {
    scopedToPartner();
    const r: Resource = PARTNER_RESOURCES[resource];
    const [row] = await this.db.sql(`SELECT ${columnsOf(r, amounts)} FROM ${r.table} WHERE id = $1`, [id]);
    // Another partner's record and no record at all answer the same: existence does not leak.
    if (!row) throw new AppError('not-found', `${resource.replace(/s$/, '')} ${id} not found`);
    return row;
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
  caseMessages(caseId: string): Promise<Record<string, unknown>[]> {
    scopedToPartner();
    return this.db.sql(
      `SELECT id, direction, author, body, at FROM crm_case_message WHERE case_id = $1 ORDER BY at, id`,
      [caseId],
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

function columnsOf(r: Resource, amounts: boolean): string {
  return amounts && r.amounts ? `${r.columns}, ${r.amounts}` : r.columns;
}

function scopedToPartner(): void {
  if (scopedPartner() === undefined)
    throw new Error('the partner view runs only in a partner request (its scope is what it shows)');
}
