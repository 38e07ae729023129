import { Inject, Injectable } from '@nestjs/common';
import {
  CASE_TYPES,
  CasePriority,
  CaseType,
  createEnvelope,
  DeliveryStatusChangedV1,
  Envelope,
} from '@tradelane/contracts';
import { AppError } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { AgreementService } from '../agreement/agreement.service';
import { TransactionRunner } from '../context/transaction.runner';
import { UnitOfWork } from '../context/unit-of-work';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { CRM_SOURCE } from '../customer/customer.constants';
import { CustomerRepository } from '../customer/customer.repository';
import { KpiService } from '../kpi/kpi.service';
import { addBusinessMinutes, businessMinutesBetween } from './business-hours.util';
import {
  CASE_STATUSES,
  CaseStatus,
  CLOCK_STOPPED,
  formatCaseNumber,
  priorityOf,
  STANDARD_RESOLUTIONS,
  TRANSITIONS,
} from './case.util';

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

interface CaseSpec {
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

const EXCEPTION_CASES: Partial<Record<string, CaseType>> = {
  DAMAGE: 'damage',
  LOSS: 'loss',
  DELAY: 'delay',
  WRONG_DELIVERY: 'wrong_delivery',
};

const CASE_COLUMNS = `k.id, k.tenant, k.number, k.type, k.priority, k.priority_reason AS "priorityReason", k.status,
  k.subject, k.description, k.assignee, k.origin, k.origin_key AS "originKey",
  r.customer_id AS "customerId", k.customer_source AS "customerSource", k.customer_external_id AS "customerExternalId",
  k.order_source AS "orderSource", k.order_external_id AS "orderExternalId",
  k.delivery_source AS "deliverySource", k.delivery_external_id AS "deliveryExternalId",
  k.invoice_source AS "invoiceSource", k.invoice_external_id AS "invoiceExternalId",
  k.opened_at AS "openedAt", k.first_response_due_at AS "firstResponseDueAt", k.first_responded_at AS "firstRespondedAt",
  k.resolution_due_at AS "resolutionDueAt", k.resolved_at AS "resolvedAt", k.resolution, k.escalation_level AS "escalationLevel",
  k.sla, k.created_at AS "createdAt", k.updated_at AS "updatedAt"`;
const CASE_FROM = `crm_case k LEFT JOIN crm_customer_record r ON r.tenant = k.tenant AND r.source = k.customer_source
  AND r.external_id = k.customer_external_id`;

type CaseRow = Record<string, unknown> & {
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

/**
 * Complaints and service cases: priority by rules, SLA clocks in business hours from the
 * customer's agreement, status workflow, notes and customer messages, knowledge-base suggestions,
 * escalation with `crm.case.sla-at-risk.v1` / `crm.case.sla-breached.v1` exactly once per clock.
 */
@Injectable()
export class CaseService {
  constructor(
    private readonly db: Database,
    private readonly tx: TransactionRunner,
    private readonly agreements: AgreementService,
    private readonly customers: CustomerRepository,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  // ---------------------------------------------------------------- opening

  async open(input: OpenCaseInput) {
    const c = await this.customers.findById(undefined, input.customerId);
    if (!c) throw new AppError('not-found', `customer ${input.customerId} not found`);
    const [record] = await this.db.sql<{ source: string; external_id: string }>(
      `SELECT source, external_id FROM crm_customer_record WHERE customer_id = $1 ORDER BY created_at, id LIMIT 1`,
      [c.id],
    );
    if (!record) throw new AppError('conflict', `customer ${c.id} has no source record to attach a case to`);
    for (const [field, ref, table] of [
      ['order', input.order, 'crm_order'],
      ['delivery', input.delivery, 'crm_delivery'],
      ['invoice', input.invoice, 'crm_invoice'],
    ] as const) {
      if (!ref) continue;
      const [found] = await this.db.sql(
        `SELECT 1 FROM ${table} WHERE tenant = $1 AND source = $2 AND external_id = $3`,
        [c.tenant, ref.source, ref.externalId],
      );
      if (!found) throw new AppError('invalid', `${field}: no ${field} ${ref.source}/${ref.externalId}`);
    }
    const id = await this.tx.run(async (uow) => {
      const created = await this.insert(uow, {
        tenant: c.tenant,
        type: input.type,
        subject: input.subject,
        description: input.description ?? null,
        priority: input.priority,
        priorityReason: input.priority ? `set by ${input.author ?? 'api'}` : undefined,
        assignee: input.assignee ?? null,
        origin: 'api',
        originKey: null,
        customer: { source: record.source, externalId: record.external_id },
        order: input.order ?? null,
        delivery: input.delivery ?? null,
        invoice: input.invoice ?? null,
        parties: input.parties ?? [],
        openedAt: new Date(),
      });
      return created as string;
    });
    return this.get(id);
  }

  /**
   * Shipment exceptions (damage, loss, delay, wrong delivery) and deliveries later than their
   * window by more than the agreement's tolerance open one case each (per shipment and type),
   * linked to the shipment and to every party on it. Runs in the delivery batch's transaction.
   */
  async fromShipments(uow: UnitOfWork, events: Envelope<DeliveryStatusChangedV1>[], deliveryIds: string[]) {
    // History (a backfill, an import of last year's shipments) updates facts and KPIs, but opens no
    // case and so starts and breaches no clock: only what happened within the window is news.
    if (uow.replaysHistory) return;
    const since = new Date(Date.now() - this.config.caseEventMaxAgeMs);
    const wanted = new Map<
      string,
      { tenant: string; source: string; externalId: string; type: CaseType; at: Date; note?: string }
    >();
    for (const e of events) {
      const type =
        e.payload.status === 'EXCEPTION' ? EXCEPTION_CASES[e.payload.exceptionType ?? ''] : undefined;
      if (!type) continue;
      const key = `delivery:${e.source}:${e.payload.externalId}:${type}`;
      const at = new Date(e.occurredAt);
      if (at < since) continue;
      const seen = wanted.get(`${e.tenant}\u0000${key}`);
      if (!seen || at < seen.at)
        wanted.set(`${e.tenant}\u0000${key}`, {
          tenant: e.tenant,
          source: e.source,
          externalId: e.payload.externalId,
          type,
          at,
          note: e.payload.note,
        });
    }
    const late: {
      id: string;
      tenant: string;
      source: string;
      external_id: string;
      delivered_at: Date;
      promised_to: Date;
    }[] = deliveryIds.length
      ? await uow.tx.query(
          `SELECT id, tenant, source, external_id, delivered_at, promised_to FROM crm_delivery
              WHERE id = ANY($1::uuid[]) AND status = 'DELIVERED' AND delivered_at > promised_to
                AND delivered_at >= $2`,
          [deliveryIds, since],
        )
      : [];
    const shipments = await this.shipments(uow, [
      ...[...wanted.values()].map((w) => ({ tenant: w.tenant, source: w.source, externalId: w.externalId })),
      ...late.map((l) => ({ tenant: l.tenant, source: l.source, externalId: l.external_id })),
    ]);
    for (const l of late) {
      const s = shipments.get(`${l.tenant}\u0000${l.source}\u0000${l.external_id}`);
      const agreement = await this.agreements.forRecord(
        uow.tx,
        l.tenant,
        s?.customer_source ?? null,
        s?.customer_external_id ?? null,
      );
      const lateMinutes = (new Date(l.delivered_at).getTime() - new Date(l.promised_to).getTime()) / 60_000;
      if (lateMinutes <= agreement.settings.lateToleranceMinutes) continue;
      const key = `${l.tenant}\u0000delivery:${l.source}:${l.external_id}:delay`;
      if (!wanted.has(key))
        wanted.set(key, {
          tenant: l.tenant,
          source: l.source,
          externalId: l.external_id,
          type: 'delay',
          at: new Date(l.delivered_at),
          note: `delivered ${Math.round(lateMinutes)} minutes after the promised window (tolerance ${agreement.settings.lateToleranceMinutes})`,
        });
    }
    for (const [key, w] of wanted) {
      const s = shipments.get(`${w.tenant}\u0000${w.source}\u0000${w.externalId}`);
      const customer =
        s?.customer_source && s.customer_external_id
          ? { source: s.customer_source, externalId: s.customer_external_id }
          : null;
      await this.insert(uow, {
        tenant: w.tenant,
        type: w.type,
        subject: `${w.type.replace('_', ' ')} on shipment ${w.externalId}`,
        description: w.note ?? null,
        assignee: null,
        origin: 'delivery-exception',
        originKey: key.split('\u0000')[1],
        customer,
        order: s?.order_external_id
          ? { source: s.order_source as string, externalId: s.order_external_id }
          : null,
        delivery: { source: w.source, externalId: w.externalId },
        invoice: null,
        parties: [
          ...(customer ? [{ role: 'customer', ...customer }] : []),
          ...(s?.parties ?? []).map((p) => ({
            role: p.role,
            source: p.customerSource ?? w.source,
            externalId: p.customerExternalId,
          })),
        ],
        openedAt: w.at,
      });
    }
  }

  private async shipments(uow: UnitOfWork, refs: { tenant: string; source: string; externalId: string }[]) {
    if (!refs.length) return new Map<string, never>();
    const rows: {
      tenant: string;
      source: string;
      external_id: string;
      customer_source: string | null;
      customer_external_id: string | null;
      order_source: string | null;
      order_external_id: string | null;
      parties: { role: string; customerSource?: string; customerExternalId: string }[];
    }[] = await uow.tx.query(
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

  /** Inserts a case (once per origin key), its parties, its clocks; emits crm.case.opened.v1. */
  private async insert(uow: UnitOfWork, spec: CaseSpec): Promise<string | null> {
    const agreement = await this.agreements.forRecord(
      uow.tx,
      spec.tenant,
      spec.customer?.source ?? null,
      spec.customer?.externalId ?? null,
    );
    const [seg]: { abc: string | null; vip: boolean }[] = agreement.customerId
      ? await uow.tx.query(`SELECT abc, vip FROM crm_customer_segment WHERE customer_id = $1`, [
          agreement.customerId,
        ])
      : [];
    const rule = spec.priority
      ? { priority: spec.priority, reason: spec.priorityReason ?? 'set' }
      : priorityOf(
          { type: spec.type, abc: seg?.abc ?? null, vip: seg?.vip ?? false, origin: spec.origin },
          this.config.casePriorityRules,
        );
    const terms = agreement.settings.sla[rule.priority];
    const cal = agreement.settings.calendar;
    const at = (share: number, minutes: number) =>
      addBusinessMinutes(spec.openedAt, Math.round(minutes * share), cal);
    const risk = agreement.settings.atRiskShare;
    const [row]: { id: string; number: number }[] = await uow.tx.query(
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
        rule.priority,
        rule.reason,
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
        at(risk, terms.firstResponseMinutes).toISOString(),
        at(1, terms.firstResponseMinutes).toISOString(),
        at(risk, terms.resolutionMinutes).toISOString(),
        at(1, terms.resolutionMinutes).toISOString(),
        JSON.stringify({ tier: agreement.tier, ...terms, atRiskShare: risk, calendar: cal }),
      ],
    );
    if (!row) return null; // this shipment exception already has its case
    const parties = [
      ...new Map(spec.parties.map((p) => [`${p.role}\u0000${p.source}\u0000${p.externalId}`, p])).values(),
    ];
    if (parties.length)
      await uow.tx.query(
        `INSERT INTO crm_case_party (case_id, role, customer_source, customer_external_id, tenant)
         SELECT $1, t.role, t.source, t."externalId", $2 FROM jsonb_to_recordset($3::jsonb) AS t(role text, source text, "externalId" text)
         ON CONFLICT DO NOTHING`,
        [row.id, spec.tenant, JSON.stringify(parties)],
      );
    await uow.emit([
      createEnvelope({
        type: 'crm.case.opened.v1',
        source: CRM_SOURCE,
        tenant: spec.tenant,
        key: row.id,
        payload: {
          caseId: row.id,
          number: formatCaseNumber(row.number),
          customerId: agreement.customerId,
          type: spec.type,
          priority: rule.priority,
          origin: spec.origin,
          ...(spec.delivery ? { delivery: `${spec.delivery.source}/${spec.delivery.externalId}` } : {}),
          firstResponseDueAt: at(1, terms.firstResponseMinutes).toISOString(),
          resolutionDueAt: at(1, terms.resolutionMinutes).toISOString(),
        },
      }),
    ]);
    await KpiService.markDirty(uow.tx, spec.tenant, 'case', [row.id]);
    await this.evaluateClocks(uow, new Date(), [row.id]);
    return row.id;
  }

  // ---------------------------------------------------------------- SLA clocks

  /**
   * Records each clock that passed its at-risk point (while running) or its due time (before it
   * stopped) once, raises the case's escalation level and emits the event in the same
   * transaction. The primary key of crm_case_sla_event makes it exactly once, whatever runs it
   * again: the sweep after a restart, two workers, a redelivered exception.
   */
  async evaluateClocks(uow: UnitOfWork, now: Date, caseIds: string[] | null): Promise<number> {
    const rows: {
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
    }[] = await uow.tx.query(
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
         LEFT JOIN crm_customer_record r ON r.tenant = k.tenant AND r.source = k.customer_source AND r.external_id = k.customer_external_id
        ORDER BY k.number, ins.clock, ins.kind DESC`,
      [now.toISOString(), caseIds],
    );
    if (!rows.length) return 0;
    await uow.emit(
      rows.map((r) =>
        createEnvelope({
          type: r.kind === 'breached' ? 'crm.case.sla-breached.v1' : 'crm.case.sla-at-risk.v1',
          source: CRM_SOURCE,
          tenant: r.tenant,
          key: r.case_id,
          payload: {
            caseId: r.case_id,
            number: formatCaseNumber(r.number),
            customerId: r.customer_id,
            clock: r.clock,
            type: r.type,
            priority: r.priority,
            dueAt: new Date(r.due_at).toISOString(),
            assignee: r.assignee,
            escalationLevel: r.level,
          },
        }),
      ),
    );
    const breached = rows.filter((r) => r.kind === 'breached');
    for (const tenant of new Set(breached.map((r) => r.tenant)))
      await KpiService.markDirty(
        uow.tx,
        tenant,
        'case',
        breached.filter((r) => r.tenant === tenant).map((r) => r.case_id),
      );
    return rows.length;
  }

  /** The periodic sweep over open cases. */
  sweep(now = new Date()): Promise<number> {
    return this.tx.run((uow) => this.evaluateClocks(uow, now, null));
  }

  // ---------------------------------------------------------------- reading

  private async row(id: string): Promise<CaseRow> {
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
      clocks: this.clocks(k),
      allowedTransitions: TRANSITIONS[k.status],
      parties,
      messages,
      slaEvents,
      suggestedResolutions: [...articles, ...STANDARD_RESOLUTIONS[k.type].map((a) => ({ id: null, ...a }))],
    };
  }

  /** Both clocks: business minutes allowed, used so far (or until stopped), due time, state. */
  private clocks(k: CaseRow) {
    const now = new Date();
    const clock = (allowed: number, due: Date, stopped: Date | null) => {
      const end = stopped ?? now;
      const used = businessMinutesBetween(new Date(k.openedAt), new Date(end), k.sla.calendar);
      const late = new Date(end) > new Date(due);
      return {
        allowedMinutes: allowed,
        usedMinutes: used,
        dueAt: due,
        stoppedAt: stopped,
        state: stopped ? (late ? 'breached' : 'met') : late ? 'breached' : 'running',
      };
    };
    return {
      firstResponse: clock(Number(k.sla.firstResponseMinutes), k.firstResponseDueAt, k.firstRespondedAt),
      resolution: clock(Number(k.sla.resolutionMinutes), k.resolutionDueAt, k.resolvedAt),
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

  // ---------------------------------------------------------------- changing

  async update(
    id: string,
    patch: { assignee?: string | null; priority?: CasePriority; type?: CaseType; author?: string },
  ) {
    const k = await this.row(id);
    if (k.status === 'closed') throw new AppError('conflict', `case ${formatCaseNumber(k.number)} is closed`);
    await this.tx.run(async (uow) => {
      await uow.tx.query(
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
      if (patch.type && patch.type !== k.type) await KpiService.markDirty(uow.tx, k.tenant, 'case', [id]);
    });
    return this.get(id);
  }

  async transition(id: string, to: string, o: { resolution?: string; author?: string } = {}) {
    if (!(CASE_STATUSES as readonly string[]).includes(to))
      throw new AppError('invalid', `to must be one of ${CASE_STATUSES.join(', ')}`);
    const target = to as CaseStatus;
    await this.tx.run(async (uow) => {
      const [k]: { status: CaseStatus; tenant: string; number: number }[] = await uow.tx.query(
        `SELECT status, tenant, number FROM crm_case WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!k) throw new AppError('not-found', `case ${id} not found`);
      if (!TRANSITIONS[k.status].includes(target))
        throw new AppError(
          'conflict',
          `case ${formatCaseNumber(k.number)} cannot go from ${k.status} to ${target} (allowed: ${TRANSITIONS[k.status].join(', ') || 'none'})`,
        );
      if (target === 'resolved' && !o.resolution?.trim())
        throw new AppError('invalid', 'resolution: say how the case was resolved');
      const stops = CLOCK_STOPPED.includes(target) && !CLOCK_STOPPED.includes(k.status);
      const restarts = target === 'open' && CLOCK_STOPPED.includes(k.status);
      await uow.tx.query(
        `UPDATE crm_case SET status = $2, updated_at = now(),
                resolution = CASE WHEN $2 = 'resolved' THEN $3 ELSE resolution END,
                resolved_at = CASE WHEN $4 THEN now() WHEN $5 THEN NULL ELSE resolved_at END,
                first_responded_at = CASE WHEN $4 THEN coalesce(first_responded_at, now()) ELSE first_responded_at END
          WHERE id = $1`,
        [id, target, o.resolution ?? null, stops, restarts],
      );
      await uow.tx.query(
        `INSERT INTO crm_case_message (case_id, visibility, direction, author, body) VALUES ($1, 'internal', 'outbound', $2, $3)`,
        [id, o.author ?? 'api', `status ${k.status} → ${target}${o.resolution ? `: ${o.resolution}` : ''}`],
      );
      await KpiService.markDirty(uow.tx, k.tenant, 'case', [id]);
      await this.evaluateClocks(uow, new Date(), [id]);
    });
    return this.get(id);
  }

  /** An internal note, or a message the customer sees; our first customer message stops the first-response clock. */
  async addMessage(
    id: string,
    m: {
      visibility: 'internal' | 'customer';
      direction?: 'inbound' | 'outbound';
      author: string;
      body: string;
    },
  ) {
    const k = await this.row(id);
    if (k.status === 'closed') throw new AppError('conflict', `case ${formatCaseNumber(k.number)} is closed`);
    const direction = m.direction ?? 'outbound';
    if (m.visibility === 'internal' && direction === 'inbound')
      throw new AppError('invalid', 'direction: an internal note cannot come from the customer');
    await this.tx.run(async (uow) => {
      await uow.tx.query(
        `INSERT INTO crm_case_message (case_id, visibility, direction, author, body) VALUES ($1, $2, $3, $4, $5)`,
        [id, m.visibility, direction, m.author, m.body],
      );
      if (m.visibility === 'customer' && direction === 'outbound') {
        await uow.tx.query(
          `UPDATE crm_case SET first_responded_at = coalesce(first_responded_at, now()),
                  status = CASE WHEN status = 'new' THEN 'open' ELSE status END, updated_at = now() WHERE id = $1`,
          [id],
        );
        await KpiService.markDirty(uow.tx, k.tenant, 'case', [id]);
        await this.evaluateClocks(uow, new Date(), [id]);
      } else if (direction === 'inbound' && k.status === 'waiting_customer') {
        await uow.tx.query(`UPDATE crm_case SET status = 'open', updated_at = now() WHERE id = $1`, [id]);
      }
    });
    return this.get(id);
  }

  // ---------------------------------------------------------------- knowledge base

  async articles(tenant: string, type?: string) {
    if (type && !(CASE_TYPES as readonly string[]).includes(type))
      throw new AppError('invalid', `type must be one of ${CASE_TYPES.join(', ')}`);
    const own = await this.db.sql(
      `SELECT id, case_type AS "caseType", title, body FROM crm_kb_article WHERE tenant = $1 AND ($2::text IS NULL OR case_type = $2)
        ORDER BY case_type, created_at`,
      [tenant, type ?? null],
    );
    const standard = (type ? [type as CaseType] : CASE_TYPES).flatMap((t) =>
      STANDARD_RESOLUTIONS[t].map((a) => ({ id: null, caseType: t, ...a, standard: true })),
    );
    return [...own, ...standard];
  }

  async addArticle(tenant: string, a: { caseType: CaseType; title: string; body: string }) {
    const [row] = await this.db.sql(
      `INSERT INTO crm_kb_article (tenant, case_type, title, body) VALUES ($1, $2, $3, $4)
       RETURNING id, case_type AS "caseType", title, body`,
      [tenant, a.caseType, a.title, a.body],
    );
    return row;
  }
}
