import { Inject, Injectable } from '@nestjs/common';
import { CaseType, createEnvelope, DeliveryStatusChangedV1, Envelope } from '@tradelane/contracts';
import { AppError } from '@tradelane/http';
import { AgreementService } from '../agreement/agreement.service';
import { addBusinessMinutes } from '../context/business-hours.util';
import { RecordsWritten } from '../context/records-written';
import { TransactionRunner } from '../context/transaction.runner';
import { UnitOfWork } from '../context/unit-of-work';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { CustomerDirectory } from '../customer/customer-directory';
import { CRM_SOURCE } from '../customer/customer.constants';
import { CaseQueryService } from './case-query.service';
import { CaseSlaService } from './case-sla.service';
import { CaseWrites } from './case-writes.repository';
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
    private readonly recordsWritten: RecordsWritten,
    private readonly tx: TransactionRunner,
    private readonly agreements: AgreementService,
    private readonly customers: CustomerDirectory,
    private readonly writes: CaseWrites,
    private readonly cases: CaseQueryService,
    private readonly sla: CaseSlaService,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  async open(input: OpenCaseInput) {
    const c = await this.customers.get(input.customerId);
    const record = await this.customers.firstRecord(c.id);
    if (!record) throw new AppError('conflict', `customer ${c.id} has no source record to attach a case to`);
    for (const [field, ref] of [
      ['order', input.order],
      ['delivery', input.delivery],
      ['invoice', input.invoice],
    ] as const)
      if (ref && !(await this.writes.recordExists(field, c.tenant, ref)))
        throw new AppError('invalid', `${field}: no ${field} ${ref.source}/${ref.externalId}`);
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
        customer: record,
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
    const late = await this.writes.lateDeliveries(uow.tx, deliveryIds, since);
    const shipments = await this.writes.shipments(uow.tx, [
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

  /** Inserts a case (once per origin key), its parties, its clocks; emits crm.case.opened.v1. */
  private async insert(uow: UnitOfWork, spec: CaseSpec): Promise<string | null> {
    const agreement = await this.agreements.forRecord(
      uow.tx,
      spec.tenant,
      spec.customer?.source ?? null,
      spec.customer?.externalId ?? null,
    );
    const seg = await this.writes.segmentOf(uow.tx, agreement.customerId);
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
    const row = await this.writes.insert(uow.tx, spec, {
      priority: rule.priority,
      priorityReason: rule.reason,
      firstResponseRiskAt: at(risk, terms.firstResponseMinutes),
      firstResponseDueAt: at(1, terms.firstResponseMinutes),
      resolutionRiskAt: at(risk, terms.resolutionMinutes),
      resolutionDueAt: at(1, terms.resolutionMinutes),
      sla: { tier: agreement.tier, ...terms, atRiskShare: risk, calendar: cal },
    });
    if (!row) return null; // this shipment exception already has its case
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
    await this.recordsWritten.changed(uow, 'case', spec.tenant, [row.id]);
    await this.sla.evaluateClocks(uow, new Date(), [row.id]);
    return row.id;
  }
}
