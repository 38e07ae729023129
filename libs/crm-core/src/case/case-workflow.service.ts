import { Injectable } from '@nestjs/common';
import { CasePriority, CaseType } from '@tradelane/contracts';
import { AppError, visibleToRequest } from '@tradelane/http';
import { RecordsWritten } from '../context/records-written';
import { TransactionRunner } from '../context/transaction.runner';
import { AcceptedAttachment } from './case-attachment.policy';
import { CaseQueryService } from './case-query.service';
import { CaseSlaService } from './case-sla.service';
import { CaseWrites } from './case-writes.repository';
import { CASE_STATUSES, CaseStatus, CLOCK_STOPPED, formatCaseNumber, TRANSITIONS } from './case.util';

/** Changing a case: assignee, priority and type; the status workflow; notes and customer messages. */
@Injectable()
export class CaseWorkflowService {
  constructor(
    private readonly recordsWritten: RecordsWritten,
    private readonly tx: TransactionRunner,
    private readonly cases: CaseQueryService,
    private readonly sla: CaseSlaService,
    private readonly writes: CaseWrites,
  ) {}

  async update(
    id: string,
    patch: { assignee?: string | null; priority?: CasePriority; type?: CaseType; author?: string },
  ) {
    const k = await this.cases.row(id);
    if (k.status === 'closed') throw new AppError('conflict', `case ${formatCaseNumber(k.number)} is closed`);
    await this.tx.run(async (uow) => {
      await this.writes.update(uow.tx, id, patch);
      if (patch.type && patch.type !== k.type) await this.recordsWritten.changed(uow, 'case', k.tenant, [id]);
    });
    return this.cases.get(id);
  }

  async transition(id: string, to: string, o: { resolution?: string; author?: string } = {}) {
    if (!(CASE_STATUSES as readonly string[]).includes(to))
      throw new AppError('invalid', `to must be one of ${CASE_STATUSES.join(', ')}`);
    const target = to as CaseStatus;
    await this.tx.run(async (uow) => {
      const k = await this.writes.lockStatus(uow.tx, id);
      if (!k || !visibleToRequest(k.tenant)) throw new AppError('not-found', `case ${id} not found`);
      if (!TRANSITIONS[k.status].includes(target))
        throw new AppError(
          'conflict',
          `case ${formatCaseNumber(k.number)} cannot go from ${k.status} to ${target} (allowed: ${TRANSITIONS[k.status].join(', ') || 'none'})`,
        );
      if (target === 'resolved' && !o.resolution?.trim())
        throw new AppError('invalid', 'resolution: say how the case was resolved');
      const stops = CLOCK_STOPPED.includes(target) && !CLOCK_STOPPED.includes(k.status);
      const restarts = target === 'open' && CLOCK_STOPPED.includes(k.status);
      await this.writes.setStatus(uow.tx, id, target, { resolution: o.resolution ?? null, stops, restarts });
      await this.writes.addMessage(uow.tx, id, {
        visibility: 'internal',
        direction: 'outbound',
        author: o.author ?? 'api',
        body: `status ${k.status} → ${target}${o.resolution ? `: ${o.resolution}` : ''}`,
      });
      await this.recordsWritten.changed(uow, 'case', k.tenant, [id]);
      await this.sla.evaluateClocks(uow, new Date(), [id]);
    });
    return this.cases.get(id);
  }

  /**
   * An internal note, or a message the customer sees, with the files sent with it (already checked:
   * acceptAttachment); our first customer message stops the first-response clock.
   */
  async addMessage(
    id: string,
    m: {
      visibility: 'internal' | 'customer';
      direction?: 'inbound' | 'outbound';
      author: string;
      body: string;
    },
    files: AcceptedAttachment[] = [],
  ) {
    const k = await this.cases.row(id);
    if (k.status === 'closed') throw new AppError('conflict', `case ${formatCaseNumber(k.number)} is closed`);
    const direction = m.direction ?? 'outbound';
    if (m.visibility === 'internal' && direction === 'inbound')
      throw new AppError('invalid', 'direction: an internal note cannot come from the customer');
    await this.tx.run(async (uow) => {
      const body = m.body.trim() || `attached ${files.map((f) => f.filename).join(', ')}`;
      const messageId = await this.writes.addMessage(uow.tx, id, { ...m, body, direction });
      if (files.length)
        await this.writes.addAttachments(uow.tx, { tenant: k.tenant, caseId: id, messageId }, files);
      if (m.visibility === 'customer' && direction === 'outbound') {
        await this.writes.firstResponse(uow.tx, id);
        await this.recordsWritten.changed(uow, 'case', k.tenant, [id]);
        await this.sla.evaluateClocks(uow, new Date(), [id]);
      } else if (direction === 'inbound' && k.status === 'waiting_customer') {
        await this.writes.reopen(uow.tx, id);
      }
    });
    return this.cases.get(id);
  }
}
