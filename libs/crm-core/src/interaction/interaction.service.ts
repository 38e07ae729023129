import { Injectable } from '@nestjs/common';
import { Envelope, InteractionRecordedV1, newMessageId } from '@tradelane/contracts';
import { AppError } from '@tradelane/http';
import { eventSourceKey, latestByKey } from '../context/latest-by-key.util';
import { customerReferences, RecordsWritten } from '../context/records-written';
import { TransactionRunner } from '../context/transaction.runner';
import { countOlderThanStored, UnitOfWork } from '../context/unit-of-work';
import { CustomerDirectory } from '../customer/customer-directory';
import { CRM_SOURCE } from '../customer/customer.constants';
import { TimelineEntryDto } from '../customer/customer.dto';
import { LogInteractionDto } from './interaction.dto';
import { InteractionRepository } from './interaction.repository';

/** A clock a little ahead of ours is not an entry from the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

@Injectable()
export class InteractionService {
  constructor(
    private readonly recordsWritten: RecordsWritten,
    private readonly interactions: InteractionRepository,
    private readonly customers: CustomerDirectory,
    private readonly tx: TransactionRunner,
  ) {}

  /**
   * A call, meeting or note a person logs (source `tradelane-crm`): it names the customer's first
   * source record, as a connector's entry names its own, so a merge or unmerge carries it along.
   */
  async log(customerId: string, dto: LogInteractionDto, actor: string): Promise<TimelineEntryDto> {
    const at = dto.occurredAt ? new Date(dto.occurredAt) : new Date();
    if (at.getTime() > Date.now() + CLOCK_SKEW_MS)
      throw new AppError('invalid', `occurredAt: ${dto.occurredAt} is in the future`);
    const c = await this.customers.get(customerId);
    const record = await this.customers.firstRecord(c.id);
    if (!record) throw new AppError('conflict', `customer ${c.id} has no source record to log against`);
    const id = newMessageId();
    const payload: InteractionRecordedV1 = {
      externalId: id,
      channel: dto.channel,
      direction: dto.direction ?? (dto.channel === 'note' ? 'internal' : 'outbound'),
      subject: dto.subject.trim(),
      summary: dto.summary?.trim() || undefined,
      actor,
      relatedRef: dto.relatedRef?.trim() || undefined,
      customerSource: record.source,
      customerExternalId: record.externalId,
    };
    const envelope: Envelope<InteractionRecordedV1> = {
      id,
      type: 'crm.interaction.recorded.v1',
      source: CRM_SOURCE,
      tenant: c.tenant,
      occurredAt: at.toISOString(),
      correlationId: id,
      causationId: null,
      key: id,
      payload,
    };
    await this.tx.run((uow) => this.recordMany(uow, [envelope]));
    return {
      kind: 'interaction',
      at,
      channel: payload.channel,
      direction: payload.direction,
      subject: payload.subject,
      summary: payload.summary ?? null,
      actor,
      source: CRM_SOURCE,
      ref: id,
      relatedRef: payload.relatedRef ?? null,
    };
  }

  /** Records timeline entries (a corrected entry, newer, replaces the older one). */
  async recordMany(uow: UnitOfWork, events: Envelope<InteractionRecordedV1>[]): Promise<void> {
    const latest = latestByKey(events, eventSourceKey);
    const written = await this.interactions.upsertMany(uow.tx, latest);
    countOlderThanStored(uow, 'interaction', latest.length, written.length);
    await this.recordsWritten.publish(uow, {
      kind: 'interaction',
      rows: written,
      references: customerReferences(latest, written),
    });
  }
}
