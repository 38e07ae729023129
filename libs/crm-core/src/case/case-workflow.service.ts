import { Injectable } from '@nestjs/common';
import { CasePriority, CaseType } from '@tradelane/contracts';
import { AppError } from '@tradelane/http';
import { TransactionRunner } from '../context/transaction.runner';
import { KpiMarks } from '../kpi/kpi-marks.repository';
import { CaseQueryService } from './case-query.service';
import { CaseSlaService } from './case-sla.service';
import { CASE_STATUSES, CaseStatus, CLOCK_STOPPED, formatCaseNumber, TRANSITIONS } from './case.util';

/** Changing a case: assignee, priority and type; the status workflow; notes and customer messages. */
@Injectable()
export class CaseWorkflowService {
  constructor(
    private readonly kpiMarks: KpiMarks,
    private readonly tx: TransactionRunner,
    private readonly cases: CaseQueryService,
    private readonly sla: CaseSlaService,
  ) {}

  async update(
    id: string,
    patch: { assignee?: string | null; priority?: CasePriority; type?: CaseType; author?: string },
  ) {
    const k = await this.cases.row(id);
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
      if (patch.type && patch.type !== k.type) await this.kpiMarks.markDirty(uow.tx, k.tenant, 'case', [id]);
    });
    return this.cases.get(id);
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
      await this.kpiMarks.markDirty(uow.tx, k.tenant, 'case', [id]);
      await this.sla.evaluateClocks(uow, new Date(), [id]);
    });
    return this.cases.get(id);
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
    const k = await this.cases.row(id);
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
        await this.kpiMarks.markDirty(uow.tx, k.tenant, 'case', [id]);
        await this.sla.evaluateClocks(uow, new Date(), [id]);
      } else if (direction === 'inbound' && k.status === 'waiting_customer') {
        await uow.tx.query(`UPDATE crm_case SET status = 'open', updated_at = now() WHERE id = $1`, [id]);
      }
    });
    return this.cases.get(id);
  }
}
