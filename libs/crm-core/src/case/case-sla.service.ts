import { Injectable } from '@nestjs/common';
import { createEnvelope } from '@tradelane/contracts';
import { businessMinutesBetween } from '../context/business-hours.util';
import { RecordsWritten } from '../context/records-written';
import { TransactionRunner } from '../context/transaction.runner';
import { UnitOfWork } from '../context/unit-of-work';
import { CRM_SOURCE } from '../customer/customer.constants';
import { CaseWrites } from './case-writes.repository';
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
    private readonly recordsWritten: RecordsWritten,
    private readonly writes: CaseWrites,
  ) {}

  /**
   * Records each clock that passed its at-risk point (while running) or its due time (before it
   * stopped) once, raises the case's escalation level and emits the event in the same
   * transaction. The primary key of crm_case_sla_event makes it exactly once, whatever runs it
   * again: the sweep after a restart, two workers, a redelivered exception.
   */
  async evaluateClocks(uow: UnitOfWork, now: Date, caseIds: string[] | null): Promise<number> {
    const rows = await this.writes.fireClocks(uow.tx, now, caseIds);
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
      await this.recordsWritten.changed(
        uow,
        'case',
        tenant,
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
