import { Injectable } from '@nestjs/common';
import { CasePriority, CaseType } from '@tradelane/contracts';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { customerOf } from '../customer/customer-of.sql';
import { AcceptedAttachment } from './case-attachment.policy';
import { CaseSpec, RecordRef } from './case.model';
import { CaseStatus } from './case.util';

type Runner = Pick<EntityManager, 'query'>;

/** A clock that fired (at risk or breached) for the first time, with what its event says. */
export interface FiredClock {
  case_id: string;
  clock: 'first-response' | 'resolution';
  kind: 'at-risk' | 'breached';
  due_at: Date;
  tenant: string;
  number: number;
  type: CaseType;
  priority: CasePriority;
  assignee: string | null;
  customer_id: string | null;
  level: number;
}

/** A delivery a shipment exception or a late delivery is about, with its customer and parties. */
export interface ShipmentOfCase {
  tenant: string;
  source: string;
  external_id: string;
  customer_source: string | null;
  customer_external_id: string | null;
  order_source: string | null;
  order_external_id: string | null;
  parties: { role: string; customerSource?: string; customerExternalId: string }[];
}

/** When each clock of a new case is at risk and due, and the terms it was opened under. */
export interface CaseClocks {
  priority: CasePriority;
  priorityReason: string;
  firstResponseRiskAt: Date;
  firstResponseDueAt: Date;
  resolutionRiskAt: Date;
  resolutionDueAt: Date;
  sla: Record<string, unknown>;
}

const RECORD_TABLES = { order: 'crm_order', delivery: 'crm_delivery', invoice: 'crm_invoice' } as const;

/**
 * The case feature's writes (crm_case, its parties, messages and clock events) and the reads of
 * the records a case is opened from (deliveries, orders, invoices, the customer's segment).
 */
@Injectable()
export class CaseWrites {
  constructor(private readonly db: Database) {}

  async recordExists(kind: keyof typeof RECORD_TABLES, tenant: string, ref: RecordRef): Promise<boolean> {
    const [found] = await this.db.sql(
      `SELECT 1 FROM ${RECORD_TABLES[kind]} WHERE tenant = $1 AND source = $2 AND external_id = $3`,
      [tenant, ref.source, ref.externalId],
    );
    return !!found;
  }

  /** Of these deliveries, those delivered after their promised window, at `since` or later. */
  lateDeliveries(
    tx: Runner,
    ids: string[],
    since: Date,
  ): Promise<
    {
      id: string;
      tenant: string;
      source: string;
      external_id: string;
      delivered_at: Date;
      promised_to: Date;
    }[]
  > {
    if (!ids.length) return Promise.resolve([]);
    return tx.query(
      `SELECT id, tenant, source, external_id, delivered_at, promised_to FROM crm_delivery
          WHERE id = ANY($1::uuid[]) AND status = 'DELIVERED' AND delivered_at > promised_to
            AND delivered_at >= $2`,
      [ids, since],
    );
  }

  /** The shipments (deliveries by source key) with the customer named on them or on their order. */
  async shipments(
    tx: Runner,
    refs: { tenant: string; source: string; externalId: string }[],
  ): Promise<Map<string, ShipmentOfCase>> {
    if (!refs.length) return new Map();
    const rows: ShipmentOfCase[] = await tx.query(
      `SELECT d.tenant, d.source, d.external_id, coalesce(d.customer_source, o.customer_source) AS customer_source,
              coalesce(d.customer_external_id, o.customer_external_id) AS customer_external_id,
              d.order_source, d.order_external_id, d.parties
         FROM jsonb_to_recordset($1::jsonb) AS t(tenant text, source text, "externalId" text)
         JOIN crm_delivery d ON d.tenant = t.tenant AND d.source = t.source AND d.external_id = t."externalId"
         LEFT JOIN crm_order o ON o.tenant = d.tenant AND o.source = d.order_source AND o.external_id = d.order_external_id`,
      [JSON.stringify(refs)],
    );
    return new Map(rows.map((r) => [`${r.tenant}\u0000${r.source}\u0000${r.external_id}`, r]));
  }

  /** The customer's ABC class and VIP flag (its segment), for the priority rules. */
  async segmentOf(
    tx: Runner,
    customerId: string | null,
  ): Promise<{ abc: string | null; vip: boolean } | undefined> {
    if (!customerId) return undefined;
    const [seg]: { abc: string | null; vip: boolean }[] = await tx.query(
      `SELECT abc, vip FROM crm_customer_segment WHERE customer_id = $1`,
      [customerId],
    );
    return seg;
  }

  /** Inserts a case once per origin key (null when this origin has its case already) and its parties. */
  async insert(
    tx: Runner,
    spec: CaseSpec,
    clocks: CaseClocks,
  ): Promise<{ id: string; number: number } | null> {
    const [row]: { id: string; number: number }[] = await tx.query(
      `INSERT INTO crm_case (tenant, type, priority, priority_reason, status, subject, description, assignee, origin, origin_key,
              customer_source, customer_external_id, order_source, order_external_id, delivery_source, delivery_external_id,
              invoice_source, invoice_external_id, opened_at, first_response_risk_at, first_response_due_at,
              resolution_risk_at, resolution_due_at, sla)
       VALUES ($1, $2, $3, $4, 'new', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
       ON CONFLICT (tenant, origin_key) WHERE origin_key IS NOT NULL DO NOTHING
       RETURNING id, number`,
      [
        spec.tenant,
        spec.type,
        clocks.priority,
        clocks.priorityReason,
        spec.subject,
        spec.description,
        spec.assignee,
        spec.origin,
        spec.originKey,
        spec.customer?.source ?? null,
        spec.customer?.externalId ?? null,
        spec.order?.source ?? null,
        spec.order?.externalId ?? null,
        spec.delivery?.source ?? null,
        spec.delivery?.externalId ?? null,
        spec.invoice?.source ?? null,
        spec.invoice?.externalId ?? null,
        spec.openedAt.toISOString(),
        clocks.firstResponseRiskAt.toISOString(),
        clocks.firstResponseDueAt.toISOString(),
        clocks.resolutionRiskAt.toISOString(),
        clocks.resolutionDueAt.toISOString(),
        JSON.stringify(clocks.sla),
      ],
    );
    if (!row) return null;
    const parties = [
      ...new Map(spec.parties.map((p) => [`${p.role}\u0000${p.source}\u0000${p.externalId}`, p])).values(),
    ];
    if (parties.length)
      await tx.query(
        `INSERT INTO crm_case_party (case_id, role, customer_source, customer_external_id, tenant)
         SELECT $1, t.role, t.source, t."externalId", $2 FROM jsonb_to_recordset($3::jsonb) AS t(role text, source text, "externalId" text)
         ON CONFLICT DO NOTHING`,
        [row.id, spec.tenant, JSON.stringify(parties)],
      );
    return row;
  }

  /**
   * Records each clock that passed its at-risk point (while running) or its due time (before it
   * stopped) once, and raises the case's escalation level; returns the clocks recorded now.
   */
  fireClocks(tx: Runner, now: Date, caseIds: string[] | null): Promise<FiredClock[]> {
    return tx.query(
      `WITH c AS (
         SELECT k.id, v.clock, v.kind, v.due, v.level
           FROM crm_case k CROSS JOIN LATERAL (VALUES
             ('first-response', 'at-risk', k.first_response_risk_at, k.first_response_due_at, k.first_responded_at, 1),
             ('first-response', 'breached', k.first_response_due_at, k.first_response_due_at, k.first_responded_at, 2),
             ('resolution', 'at-risk', k.resolution_risk_at, k.resolution_due_at, k.resolved_at, 1),
             ('resolution', 'breached', k.resolution_due_at, k.resolution_due_at, k.resolved_at, 2)
           ) AS v(clock, kind, fires, due, stopped, level)
          WHERE ($2::uuid[] IS NULL AND k.status NOT IN ('resolved', 'closed', 'rejected') OR k.id = ANY($2::uuid[]))
            AND v.fires <= $1::timestamptz
            AND (CASE WHEN v.kind = 'at-risk' THEN v.stopped IS NULL ELSE v.stopped IS NULL OR v.stopped > v.due END)),
       ins AS (
         INSERT INTO crm_case_sla_event (case_id, clock, kind, due_at)
         SELECT id, clock, kind, due FROM c ON CONFLICT DO NOTHING RETURNING case_id, clock, kind, due_at),
       lvl AS (
         SELECT ins.case_id, max(c.level) AS level FROM ins JOIN c ON c.id = ins.case_id AND c.clock = ins.clock AND c.kind = ins.kind
          GROUP BY ins.case_id),
       upd AS (
         UPDATE crm_case k SET escalation_level = greatest(k.escalation_level, lvl.level), updated_at = now()
           FROM lvl WHERE k.id = lvl.case_id RETURNING k.id, k.escalation_level)
       SELECT ins.case_id, ins.clock, ins.kind, ins.due_at, k.tenant, k.number, k.type, k.priority, k.assignee,
              r.customer_id, upd.escalation_level AS level
         FROM ins JOIN upd ON upd.id = ins.case_id JOIN crm_case k ON k.id = ins.case_id
         ${customerOf('k', { left: true })}
        ORDER BY k.number, ins.clock, ins.kind DESC`,
      [now.toISOString(), caseIds],
    );
  }

  async update(
    tx: Runner,
    id: string,
    patch: { assignee?: string | null; priority?: CasePriority; type?: CaseType; author?: string },
  ): Promise<void> {
    await tx.query(
      `UPDATE crm_case SET assignee = CASE WHEN $2 THEN $3 ELSE assignee END, priority = coalesce($4, priority),
              priority_reason = CASE WHEN $4::text IS NULL THEN priority_reason ELSE 'set by ' || $6 END,
              type = coalesce($5, type), updated_at = now()
        WHERE id = $1`,
      [
        id,
        patch.assignee !== undefined,
        patch.assignee ?? null,
        patch.priority ?? null,
        patch.type ?? null,
        patch.author ?? 'api',
      ],
    );
  }

  async lockStatus(
    tx: Runner,
    id: string,
  ): Promise<{ status: CaseStatus; tenant: string; number: number } | undefined> {
    const [k]: { status: CaseStatus; tenant: string; number: number }[] = await tx.query(
      `SELECT status, tenant, number FROM crm_case WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return k;
  }

  /** Moves the case to `status`; `stops` stops both clocks now, `restarts` runs the resolution clock again. */
  async setStatus(
    tx: Runner,
    id: string,
    status: CaseStatus,
    o: { resolution: string | null; stops: boolean; restarts: boolean },
  ): Promise<void> {
    await tx.query(
      `UPDATE crm_case SET status = $2, updated_at = now(),
              resolution = CASE WHEN $2 = 'resolved' THEN $3 ELSE resolution END,
              resolved_at = CASE WHEN $4 THEN now() WHEN $5 THEN NULL ELSE resolved_at END,
              first_responded_at = CASE WHEN $4 THEN coalesce(first_responded_at, now()) ELSE first_responded_at END
        WHERE id = $1`,
      [id, status, o.resolution, o.stops, o.restarts],
    );
  }

  async addMessage(
    tx: Runner,
    id: string,
    m: {
      visibility: 'internal' | 'customer';
      direction: 'inbound' | 'outbound';
      author: string;
      body: string;
    },
  ): Promise<string> {
    const [row]: { id: string }[] = await tx.query(
      `INSERT INTO crm_case_message (case_id, visibility, direction, author, body) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [id, m.visibility, m.direction, m.author, m.body],
    );
    return row.id;
  }

  /** Files sent with a message (the message decides who sees them). */
  async addAttachments(
    tx: Runner,
    at: { tenant: string; caseId: string; messageId: string },
    files: AcceptedAttachment[],
  ): Promise<void> {
    for (const f of files)
      await tx.query(
        `INSERT INTO crm_case_attachment (tenant, case_id, message_id, filename, content_type, size, sha256, content)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [at.tenant, at.caseId, at.messageId, f.filename, f.contentType, f.size, f.sha256, f.content],
      );
  }

  /** Our first message to the customer: the first-response clock stops, a new case opens. */
  async firstResponse(tx: Runner, id: string): Promise<void> {
    await tx.query(
      `UPDATE crm_case SET first_responded_at = coalesce(first_responded_at, now()),
              status = CASE WHEN status = 'new' THEN 'open' ELSE status END, updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  /** The customer answered a case waiting for it: open again. */
  async reopen(tx: Runner, id: string): Promise<void> {
    await tx.query(`UPDATE crm_case SET status = 'open', updated_at = now() WHERE id = $1`, [id]);
  }
}
