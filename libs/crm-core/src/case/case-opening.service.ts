import { Inject, Injectable } from '@nestjs/common';
import { CaseType, createEnvelope, DeliveryStatusChangedV1, Envelope } from '@tradelane/contracts';
import { AppError } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { AgreementService } from '../agreement/agreement.service';
import { TransactionRunner } from '../context/transaction.runner';
import { UnitOfWork } from '../context/unit-of-work';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { CRM_SOURCE } from '../customer/customer.constants';
import { CustomerRepository } from '../customer/customer.repository';
import { KpiMarks } from '../kpi/kpi-marks.repository';
import { addBusinessMinutes } from './business-hours.util';
import { CaseQueryService } from './case-query.service';
import { CaseSlaService } from './case-sla.service';
import { CaseSpec, EXCEPTION_CASES, OpenCaseInput } from './case.model';
import { formatCaseNumber, priorityOf } from './case.util';

export type { OpenCaseInput, RecordRef } from './case.model';

/**
 * Opening cases: by a person (API) or from shipment exceptions and late deliveries (one per
 * shipment and type, linked to every party on it), with priority by rules and SLA clocks in
 * business hours from the customer's agreement.
 */
@Injectable()
export class CaseOpeningService {
  constructor(
    private readonly kpiMarks: KpiMarks,
    private readonly db: Database,
    private readonly tx: TransactionRunner,
    private readonly agreements: AgreementService,
    private readonly customers: CustomerRepository,
    private readonly cases: CaseQueryService,
    private readonly sla: CaseSlaService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

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
    return this.cases.get(id);
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
    await this.kpiMarks.markDirty(uow.tx, spec.tenant, 'case', [row.id]);
    await this.sla.evaluateClocks(uow, new Date(), [row.id]);
    return row.id;
  }
}
