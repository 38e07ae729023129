import { Injectable } from '@nestjs/common';
import { CasePriority, CaseType, createEnvelope } from '@tradelane/contracts';
import { TransactionRunner } from '../context/transaction.runner';
import { UnitOfWork } from '../context/unit-of-work';
import { CRM_SOURCE } from '../customer/customer.constants';
import { KpiMarks } from '../kpi/kpi-marks.repository';
import { businessMinutesBetween } from './business-hours.util';
import { CaseRow } from './case.model';
import { formatCaseNumber } from './case.util';

/**
 * The SLA clocks of cases: at risk and breached, each exactly once per clock (the primary key of
 * crm_case_sla_event), raised in the transaction that found it, and the clocks as a person reads them.
 */
@Injectable()
export class CaseSlaService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly kpiMarks: KpiMarks,
  ) {}

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
      await this.kpiMarks.markDirty(
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

  /** Both clocks: business minutes allowed, used so far (or until stopped), due time, state. */
  clocksOf(k: CaseRow) {
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
}
