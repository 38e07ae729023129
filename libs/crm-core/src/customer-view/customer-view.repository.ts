import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { customerRecords } from '../customer/customer-of.sql';
import {
  CaseSummaryDto,
  DeliveryDetailDto,
  DeliveryDto,
  DeliveryEventDto,
  InvoiceDto,
  OrderDto,
  TimelineEntryDto,
} from '../customer/customer.dto';

/** The customer records a 360 is built over: everything names one of them. */
export interface ViewScope {
  customerId: string;
  tenant: string;
  sources: string[];
  externalIds: string[];
}

const REFS = `refs AS (SELECT * FROM unnest($2::text[], $3::text[]) AS r(source, external_id))`;
const ORDERS_OF = `crm_order o JOIN refs r ON o.customer_source = r.source AND o.customer_external_id = r.external_id
                   WHERE o.tenant = $1`;
/** Deliveries that name one of the records, or one of their orders. */
const DELIVERY_IDS = `dids AS (
  SELECT d.id FROM crm_delivery d JOIN refs r ON d.customer_source = r.source AND d.customer_external_id = r.external_id
   WHERE d.tenant = $1
  UNION
  SELECT d.id FROM crm_order o JOIN refs r ON o.customer_source = r.source AND o.customer_external_id = r.external_id
    JOIN crm_delivery d ON d.tenant = o.tenant AND d.order_source = o.source AND d.order_external_id = o.external_id
   WHERE o.tenant = $1)`;
const childOf = (table: string, alias: string) =>
  `${table} ${alias} JOIN refs r ON ${alias}.customer_source = r.source AND ${alias}.customer_external_id = r.external_id
   WHERE ${alias}.tenant = $1`;

const ORDER_COLUMNS = `o.id, o.source, o.external_id AS "externalId", o.status, o.ordered_at AS "orderedAt",
  o.ordered_at_basis AS "orderedAtBasis", o.required_at AS "requiredAt", o.shipped_at AS "shippedAt", o.carrier, o.currency, o.freight::text AS freight,
  o.total_amount::text AS "totalAmount", jsonb_array_length(o.lines) AS "lineCount",
  o.customer_source AS "customerSource", o.customer_external_id AS "customerExternalId"`;
const DELIVERY_COLUMNS = `d.id, d.source, d.external_id AS "externalId", d.status, d.source_status AS "sourceStatus",
  d.status_at AS "statusAt", d.order_source AS "orderSource", d.order_external_id AS "orderExternalId", d.carrier,
  d.tracking_refs AS "trackingRefs", d.promised_from AS "promisedFrom", d.promised_to AS "promisedTo",
  d.picked_up_at AS "pickedUpAt", d.delivered_at AS "deliveredAt", d.location, d.packages,
  (d.promised_to IS NOT NULL AND coalesce(d.delivered_at, now()) > d.promised_to) AS late`;
const INVOICE_COLUMNS = `i.id, i.source, i.external_id AS "externalId", i.order_external_id AS "orderExternalId",
  i.issued_at AS "issuedAt", i.due_at AS "dueAt", i.currency, i.total_amount::text AS "totalAmount",
  i.paid_amount::text AS "paidAmount", (i.total_amount - i.paid_amount)::text AS "openAmount", i.status, i.disputed,
  i.dispute_reason AS "disputeReason", (i.status IN ('OPEN', 'PARTIALLY_PAID') AND i.due_at < now()) AS overdue`;
const OPEN_INVOICE = `i.status IN ('OPEN', 'PARTIALLY_PAID')`;

export interface Page<T> {
  items: T[];
  total: number;
}

/** Read queries of the customer 360 (one round trip each, run side by side). */
@Injectable()
export class CustomerViewRepository {
  constructor(private readonly db: Database) {}

  private q<T>(sql: string, scope: ViewScope, extra: unknown[] = []): Promise<T[]> {
    return this.db.sql<T>(`WITH ${REFS}${sql}`, [scope.tenant, scope.sources, scope.externalIds, ...extra]);
  }

  async records(customerId: string) {
    return this.db.sql<{
      id: string;
      tenant: string;
      source: string;
      context: string;
      externalId: string;
      data: Record<string, unknown>;
      sourceUpdatedAt: Date;
      receivedAt: Date;
      homeCustomerId: string;
    }>(
      `SELECT id, tenant, source, context, external_id AS "externalId", data, source_updated_at AS "sourceUpdatedAt",
              updated_at AS "receivedAt", home_customer_id AS "homeCustomerId"
         FROM ${customerRecords()} WHERE customer_id = $1 ORDER BY source, external_id`,
      [customerId],
    );
  }

  async orderSummary(scope: ViewScope): Promise<{ count: number; totalAmount: string }> {
    const [row] = await this.q<{ count: number; totalAmount: string }>(
      ` SELECT count(*)::int AS count, coalesce(sum(o.total_amount), 0)::numeric(14,4)::text AS "totalAmount" FROM ${ORDERS_OF}`,
      scope,
    );
    return row;
  }

  async orders(scope: ViewScope, limit: number, offset: number, withTotal = true): Promise<Page<OrderDto>> {
    const [items, total] = await Promise.all([
      this.q<OrderDto>(
        ` SELECT ${ORDER_COLUMNS} FROM ${ORDERS_OF} ORDER BY o.ordered_at DESC, o.external_id DESC LIMIT $4 OFFSET $5`,
        scope,
        [limit, offset],
      ),
      withTotal ? this.orderSummary(scope).then((s) => s.count) : Promise.resolve(-1),
    ]);
    return { items, total };
  }

  async deliveries(scope: ViewScope, limit: number, offset: number): Promise<Page<DeliveryDto>> {
    const [items, [count]] = await Promise.all([
      this.q<DeliveryDto>(
        `, ${DELIVERY_IDS} SELECT ${DELIVERY_COLUMNS} FROM crm_delivery d JOIN dids ON dids.id = d.id
           ORDER BY d.status_at DESC, d.external_id DESC LIMIT $4 OFFSET $5`,
        scope,
        [limit, offset],
      ),
      this.q<{ n: number }>(`, ${DELIVERY_IDS} SELECT count(*)::int AS n FROM dids`, scope),
    ]);
    return { items, total: count.n };
  }

  deliveryStatusCounts(scope: ViewScope): Promise<{ status: string; count: number; late: number }[]> {
    return this.q(
      `, ${DELIVERY_IDS} SELECT d.status, count(*)::int AS count,
            count(*) FILTER (WHERE d.promised_to IS NOT NULL AND coalesce(d.delivered_at, now()) > d.promised_to)::int AS late
           FROM crm_delivery d JOIN dids ON dids.id = d.id GROUP BY d.status ORDER BY d.status`,
      scope,
    );
  }

  async deliveryOnTime(
    scope: ViewScope,
  ): Promise<{ delivered: number; onTime: number; share: number | null }> {
    const [r] = await this.q<{ delivered: number; onTime: number }>(
      `, ${DELIVERY_IDS} SELECT count(*)::int AS delivered,
            count(*) FILTER (WHERE d.delivered_at <= d.promised_to)::int AS "onTime"
           FROM crm_delivery d JOIN dids ON dids.id = d.id
          WHERE d.delivered_at IS NOT NULL AND d.promised_to IS NOT NULL`,
      scope,
    );
    return { ...r, share: r.delivered ? Math.round((r.onTime / r.delivered) * 10_000) / 10_000 : null };
  }

  async invoices(
    scope: ViewScope,
    openOnly: boolean,
    limit: number,
    offset: number,
  ): Promise<Page<InvoiceDto>> {
    const where = openOnly ? ` AND ${OPEN_INVOICE}` : '';
    const [items, [count]] = await Promise.all([
      this.q<InvoiceDto>(
        ` SELECT ${INVOICE_COLUMNS} FROM ${childOf('crm_invoice', 'i')}${where} ORDER BY i.due_at DESC, i.external_id LIMIT $4 OFFSET $5`,
        scope,
        [limit, offset],
      ),
      this.q<{ n: number }>(` SELECT count(*)::int AS n FROM ${childOf('crm_invoice', 'i')}${where}`, scope),
    ]);
    return { items, total: count.n };
  }

  async stock(scope: ViewScope, sku: string | undefined, limit: number, offset: number) {
    const where = sku ? ` AND s.sku = $6` : '';
    const extra = sku ? [limit, offset, sku] : [limit, offset];
    const [items, [count]] = await Promise.all([
      this.q<Record<string, unknown>>(
        ` SELECT s.source, s.warehouse, s.sku, s.lot, s.status, s.quantity::text AS quantity, s.unit,
                 s.as_of AS "asOf", s.snapshot_at AS "snapshotAt"
            FROM ${childOf('crm_stock_level', 's')}${where}
           ORDER BY s.sku, s.lot, s.warehouse, s.status LIMIT $4 OFFSET $5`,
        scope,
        extra,
      ),
      this.q<{ n: number }>(
        ` SELECT count(*)::int AS n FROM ${childOf('crm_stock_level', 's')}${sku ? ' AND s.sku = $4' : ''}`,
        scope,
        sku ? [sku] : [],
      ),
    ]);
    return { items, total: count.n };
  }

  async stockMovements(scope: ViewScope, sku: string | undefined, limit: number, offset: number) {
    const where = sku ? ` AND m.sku = $6` : '';
    const extra = sku ? [limit, offset, sku] : [limit, offset];
    const [items, [count]] = await Promise.all([
      this.q<Record<string, unknown>>(
        ` SELECT m.message_id AS "messageId", m.source, m.external_id AS "externalId", m.warehouse, m.sku, m.lot,
                 m.status, m.quantity::text AS quantity, m.change::text AS change, m.level_after::text AS "levelAfter",
                 m.applied, m.reason, m.source_reason AS "sourceReason", m.as_of AS "asOf"
            FROM ${childOf('crm_stock_movement', 'm')}${where}
           ORDER BY m.as_of DESC, m.message_id LIMIT $4 OFFSET $5`,
        scope,
        extra,
      ),
      this.q<{ n: number }>(
        ` SELECT count(*)::int AS n FROM ${childOf('crm_stock_movement', 'm')}${sku ? ' AND m.sku = $4' : ''}`,
        scope,
        sku ? [sku] : [],
      ),
    ]);
    return { items, total: count.n };
  }

  async stockSummary(
    scope: ViewScope,
  ): Promise<{ skus: number; byStatus: Record<string, string>; asOf: Date | null }> {
    const rows = await this.q<{ status: string; qty: string; skus: number; as_of: Date | null }>(
      ` SELECT s.status, sum(s.quantity)::numeric(16,3)::text AS qty, count(DISTINCT s.sku)::int AS skus, max(s.as_of) AS as_of
          FROM ${childOf('crm_stock_level', 's')} GROUP BY s.status`,
      scope,
    );
    const [all] = await this.q<{ n: number }>(
      ` SELECT count(DISTINCT s.sku)::int AS n FROM ${childOf('crm_stock_level', 's')}`,
      scope,
    );
    const asOf =
      rows
        .map((r) => r.as_of)
        .filter((d): d is Date => !!d)
        .sort((a, b) => +b - +a)[0] ?? null;
    return { skus: all.n, byStatus: Object.fromEntries(rows.map((r) => [r.status, r.qty])), asOf };
  }

  async invoiceSummary(scope: ViewScope) {
    const [row] = await this.q<{
      openCount: number;
      openAmount: string;
      overdueCount: number;
      overdueAmount: string;
      disputedCount: number;
      currencies: string[];
    }>(
      ` SELECT count(*) FILTER (WHERE ${OPEN_INVOICE})::int AS "openCount",
               coalesce(sum(i.total_amount - i.paid_amount) FILTER (WHERE ${OPEN_INVOICE}), 0)::numeric(14,4)::text AS "openAmount",
               count(*) FILTER (WHERE ${OPEN_INVOICE} AND i.due_at < now())::int AS "overdueCount",
               coalesce(sum(i.total_amount - i.paid_amount) FILTER (WHERE ${OPEN_INVOICE} AND i.due_at < now()), 0)::numeric(14,4)::text AS "overdueAmount",
               count(*) FILTER (WHERE i.disputed AND ${OPEN_INVOICE})::int AS "disputedCount",
               coalesce(array_agg(DISTINCT i.currency) FILTER (WHERE ${OPEN_INVOICE}), '{}') AS currencies
          FROM ${childOf('crm_invoice', 'i')}`,
      scope,
    );
    return row;
  }

  /** Interactions and delivery status changes, newest first. */
  async timeline(scope: ViewScope, limit: number, offset: number): Promise<Page<TimelineEntryDto>> {
    const entries = `, ${DELIVERY_IDS}, entries AS (
        SELECT 'interaction' AS kind, i.occurred_at AS at, i.channel, i.direction, i.subject, i.summary, i.actor,
               i.source, i.external_id AS ref, i.related_ref AS "relatedRef"
          FROM ${childOf('crm_interaction', 'i')}
        UNION ALL
        SELECT 'delivery-status', e.occurred_at, 'status', 'inbound',
               'Delivery ' || e.delivery_external_id || ': ' || e.status, e.payload->>'note', e.payload->>'location',
               e.source, e.delivery_external_id, d.order_external_id
          FROM dids JOIN crm_delivery d ON d.id = dids.id
          JOIN crm_delivery_event e ON e.tenant = d.tenant AND e.source = d.source AND e.delivery_external_id = d.external_id)`;
    const [items, [count]] = await Promise.all([
      this.q<TimelineEntryDto>(
        `${entries} SELECT * FROM entries ORDER BY at DESC, ref LIMIT $4 OFFSET $5`,
        scope,
        [limit, offset],
      ),
      this.q<{ n: number }>(`${entries} SELECT count(*)::int AS n FROM entries`, scope),
    ]);
    return { items, total: count.n };
  }

  /** Per connector instance: newest event time and newest arrival over everything held for the customer. */
  freshness(scope: ViewScope) {
    const part = (table: string, alias: string, at: string) =>
      `SELECT ${alias}.source, max(${alias}.${at}) AS at, max(${alias}.updated_at) AS received, count(*) AS n
         FROM ${childOf(table, alias)} GROUP BY ${alias}.source`;
    return this.q<{ source: string; lastEventAt: Date; lastReceivedAt: Date; records: number }>(
      `, ${DELIVERY_IDS}, parts AS (
         SELECT source, max(source_updated_at) AS at, max(updated_at) AS received, count(*) AS n
           FROM ${customerRecords()} WHERE customer_id = $4 GROUP BY source
         UNION ALL SELECT o.source, max(o.source_updated_at), max(o.updated_at), count(*) FROM ${ORDERS_OF} GROUP BY o.source
         UNION ALL SELECT d.source, max(d.status_at), max(d.updated_at), count(*) FROM crm_delivery d JOIN dids ON dids.id = d.id GROUP BY d.source
         UNION ALL ${part('crm_invoice', 'i', 'source_updated_at')}
         UNION ALL ${part('crm_interaction', 'x', 'source_updated_at')})
       SELECT source, max(at) AS "lastEventAt", max(received) AS "lastReceivedAt", sum(n)::int AS records
         FROM parts GROUP BY source ORDER BY source`,
      scope,
      [scope.customerId],
    );
  }

  /** Roles the customer plays: ordering customer (named by the order or delivery itself), and party roles. */
  roles(scope: ViewScope) {
    return this.q<{ role: string; subjectType: string; count: number }>(
      `, roles AS (
         SELECT 'customer' AS role, 'order' AS subject_type FROM ${ORDERS_OF}
         UNION ALL SELECT 'customer', 'delivery' FROM ${childOf('crm_delivery', 'd')}
         UNION ALL SELECT p.role, p.subject_type FROM ${childOf('crm_party_link', 'p')})
       SELECT role, subject_type AS "subjectType", count(*)::int AS count FROM roles
        GROUP BY role, subject_type ORDER BY role, subject_type`,
      scope,
    );
  }

  async pendingProposals(customerId: string): Promise<number> {
    const [row] = await this.db.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM crm_merge_proposal WHERE status = 'pending' AND (customer_a = $1 OR customer_b = $1)`,
      [customerId],
    );
    return row.n;
  }

  /** One delivery with its whole status timeline (every event received, oldest first). */
  async delivery(id: string): Promise<DeliveryDetailDto | null> {
    const [d] = await this.db.sql<Omit<DeliveryDetailDto, 'timeline'>>(
      `SELECT ${DELIVERY_COLUMNS}, d.tenant, d.customer_source AS "customerSource",
              d.customer_external_id AS "customerExternalId", d.parties
         FROM crm_delivery d WHERE d.id = $1`,
      [id],
    );
    if (!d) return null;
    const timeline = await this.db.sql<DeliveryEventDto>(
      `SELECT e.message_id AS "messageId", e.status, e.occurred_at AS "occurredAt", e.recorded_at AS "receivedAt",
              e.payload->>'sourceStatus' AS "sourceStatus", e.payload->>'location' AS location, e.payload->>'note' AS note
         FROM crm_delivery_event e
         JOIN crm_delivery d ON e.tenant = d.tenant AND e.source = d.source AND e.delivery_external_id = d.external_id
        WHERE d.id = $1 ORDER BY e.occurred_at, e.message_id`,
      [id],
    );
    return { ...d, timeline };
  }

  /** The customer's class and stage as last classified (null before the first classification). */
  /** Cases of the customer, or naming it as a party (both sides of a failed shipment): open counts and the latest open. */
  async cases(scope: ViewScope): Promise<CaseSummaryDto> {
    const rows = await this.q<{
      id: string;
      number: number;
      type: string;
      priority: string;
      status: string;
      subject: string;
      role: string;
      escalation_level: number;
      resolution_due_at: Date;
      open_total: number;
      escalated_total: number;
    }>(
      `, mine AS (
         SELECT k.id, 'customer' AS role FROM crm_case k JOIN refs r ON k.customer_source = r.source AND k.customer_external_id = r.external_id
          WHERE k.tenant = $1
         UNION
         SELECT p.case_id, p.role FROM crm_case_party p JOIN refs r ON p.customer_source = r.source AND p.customer_external_id = r.external_id
          WHERE p.tenant = $1 AND p.role <> 'customer'),
       open AS (
         SELECT DISTINCT ON (k.id) k.*, mine.role FROM mine JOIN crm_case k ON k.id = mine.id
          WHERE k.status NOT IN ('resolved', 'closed', 'rejected') ORDER BY k.id, mine.role)
       SELECT id, number, type, priority, status, subject, role, escalation_level, resolution_due_at,
              count(*) OVER ()::int AS open_total, count(*) FILTER (WHERE escalation_level > 0) OVER ()::int AS escalated_total
         FROM open ORDER BY escalation_level DESC, opened_at DESC LIMIT 10`,
      scope,
    );
    return {
      open: rows[0]?.open_total ?? 0,
      escalated: rows[0]?.escalated_total ?? 0,
      recent: rows.map((r) => ({
        id: r.id,
        number: `C-${String(r.number).padStart(6, '0')}`,
        type: r.type,
        priority: r.priority,
        status: r.status,
        subject: r.subject,
        role: r.role,
        escalationLevel: r.escalation_level,
        resolutionDueAt: r.resolution_due_at,
      })),
    };
  }

  async segment(
    customerId: string,
  ): Promise<{ abc: string; lifecycle: string; reason: string; classifiedAt: Date } | null> {
    const [row] = await this.db.sql<{ abc: string; lifecycle: string; reason: string; classifiedAt: Date }>(
      `SELECT abc, lifecycle, reason, classified_at AS "classifiedAt" FROM crm_customer_segment WHERE customer_id = $1`,
      [customerId],
    );
    return row ?? null;
  }
}
