import { Injectable } from '@nestjs/common';
import { CASE_TYPES } from '@tradelane/contracts';
import { AppError, requestTenant, visibleToRequest } from '@tradelane/http';
import { CustomerDirectory } from '../customer/customer-directory';
import { CaseSlaService } from './case-sla.service';
import { CaseRow, withAttachments } from './case.model';
import { CaseRepository } from './case.repository';
import { CASE_STATUSES, formatCaseNumber, STANDARD_RESOLUTIONS, TRANSITIONS } from './case.util';

/** Reading cases: one with its parties, messages, clock events and suggested resolutions; the queue. */
@Injectable()
export class CaseQueryService {
  constructor(
    private readonly cases: CaseRepository,
    private readonly sla: CaseSlaService,
    private readonly customers: CustomerDirectory,
  ) {}

  async row(id: string): Promise<CaseRow> {
    const row = await this.cases.byId(id);
    if (!row || !visibleToRequest(row.tenant)) throw new AppError('not-found', `case ${id} not found`);
    return row;
  }

  async get(id: string) {
    const k = await this.row(id);
    const [messages, attachments, parties, slaEvents, articles] = await Promise.all([
      this.cases.messagesOf(id),
      this.cases.attachmentsOf(id),
      this.cases.partiesOf(id),
      this.cases.slaEventsOf(id),
      this.cases.articles(k.tenant, k.type),
    ]);
    return {
      ...k,
      number: formatCaseNumber(k.number),
      clocks: this.sla.clocksOf(k),
      allowedTransitions: TRANSITIONS[k.status],
      parties,
      messages: withAttachments(messages as { id: string }[], attachments),
      slaEvents,
      suggestedResolutions: [...articles, ...STANDARD_RESOLUTIONS[k.type].map((a) => ({ id: null, ...a }))],
    };
  }

  /** One file of a case (404 unless the case is the request's and the file is on it). */
  async attachment(caseId: string, id: string) {
    await this.row(caseId);
    const file = await this.cases.attachment(caseId, id);
    if (!file) throw new AppError('not-found', `attachment ${id} not found on case ${caseId}`);
    return file;
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
      const c = await this.customers.find(q.customerId);
      if (!c) throw new AppError('not-found', `customer ${q.customerId} not found`);
      customerIds = [c.id];
    }
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const offset = Math.max(q.offset ?? 0, 0);
    const { total, items } = await this.cases.page(
      {
        tenant: requestTenant(q.tenant),
        customerIds,
        status: q.status ?? null,
        type: q.type ?? null,
        assignee: q.assignee ?? null,
        escalated: q.escalated ?? null,
      },
      limit,
      offset,
    );
    return {
      total,
      limit,
      offset,
      items: items.map((k) => ({ ...k, number: formatCaseNumber(k.number) })),
    };
  }
}
