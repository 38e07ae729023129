import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Envelope } from '@tradelane/contracts';
import { CORE_CONSUMER } from '@tradelane/messaging';
import {
  Database,
  deadLetterLedgerRecord,
  DeadLetterRecord,
  DeadLetterRepository,
  InboxRepository,
  LedgerRepository,
} from '@tradelane/persistence';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  ChildReferences,
  RecordKind,
  RecordsChange,
  RecordsWritten,
  RecordsWrittenListener,
  ReferenceKind,
} from '../context/records-written';
import { UnitOfWork } from '../context/unit-of-work';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { ChildRef, ReferenceRepository } from './reference.repository';

export const UNKNOWN_REFERENCE = 'UNKNOWN_REFERENCE';
const SWEEP_BATCH = 500;

/** The records others may name before they exist. */
const PARENT_KINDS: Partial<Record<RecordKind, ReferenceKind>> = { customer: 'customer', order: 'order' };

/**
 * References from children (orders, deliveries, invoices, interactions) to their parents. A child
 * is stored whatever arrives first and is linked when its parent arrives; a reference still
 * unresolved after the grace period goes to the dead-letter store, naming the field, and can be
 * redriven once the parent is fixed.
 */
@Injectable()
export class ReferenceService implements RecordsWrittenListener, OnModuleInit {
  private readonly log = new Logger(ReferenceService.name);

  constructor(
    private readonly refs: ReferenceRepository,
    private readonly db: Database,
    private readonly deadLetters: DeadLetterRepository,
    private readonly ledger: LedgerRepository,
    private readonly inbox: InboxRepository,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
    private readonly recordsWritten: RecordsWritten,
  ) {}

  onModuleInit(): void {
    this.recordsWritten.subscribe(this);
  }

  /** Records written: the references they make checked; records others waited for release them. */
  async onRecordsWritten(uow: UnitOfWork, change: RecordsChange): Promise<void> {
    if (change.references?.length) await this.track(uow.tx, change.kind, change.references);
    const parent = PARENT_KINDS[change.kind];
    if (parent && change.arrived?.length) await this.refs.resolve(uow.tx, parent, change.arrived);
  }

  /**
   * Checks the references of children just written (their winning event, whole). A child committed
   * while its parent's transaction was still open can miss the parent's arrival (neither saw the
   * other); the sweep drops such references first thing, so they never reach the dead-letter store.
   */
  private track(tx: EntityManager, entity: string, children: ChildReferences[]): Promise<void> {
    const rows: ChildRef[] = children.flatMap((c) =>
      c.refs.map((r) => ({
        tenant: c.envelope.tenant,
        entity,
        childSource: c.envelope.source,
        childExternalId: c.externalId,
        field: r.field,
        refKind: r.kind,
        refSource: r.source,
        refExternalId: r.externalId,
        envelope: c.envelope,
      })),
    );
    return this.refs.track(tx, rows);
  }

  /**
   * Dead-letters references unresolved past the grace period, one transaction per batch: the
   * dead letter (with the whole message), its ledger entry, and the inbox entry removed, so a
   * redrive applies the message again. Returns how many were dead-lettered.
   */
  async sweep(graceMs = this.config.referenceGraceMs): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.db.transaction(async (tx) => {
        const expired = await this.refs.takeExpired(tx, graceMs, SWEEP_BATCH);
        if (!expired.length) return 0;
        const byMessage = new Map<string, DeadLetterRecord>();
        for (const p of expired) {
          const e = p.envelope as unknown as Envelope;
          const reason = `${p.field} names ${p.refKind} "${p.refExternalId}" of ${p.refSource}, which is unknown (waited since ${p.firstSeenAt.toISOString()})`;
          const prior = byMessage.get(e.id);
          if (prior) {
            prior.errorMessage += `; ${reason}`;
            continue;
          }
          byMessage.set(e.id, {
            // Taken from the pending references in this same transaction: stored once by construction.
            deliveryId: `reference-sweep:${randomUUID()}`,
            messageId: e.id,
            consumer: CORE_CONSUMER,
            type: e.type,
            key: e.key,
            tenant: e.tenant,
            source: e.source,
            correlationId: e.correlationId,
            routingKey: e.type,
            body: Buffer.from(JSON.stringify(e)),
            errorCode: UNKNOWN_REFERENCE,
            errorMessage: reason,
            errorField: p.field,
            attempts: 1,
          });
        }
        const rows = [...byMessage.values()];
        await this.deadLetters.record(tx, rows);
        await this.ledger.append(
          tx,
          rows.map((r) => deadLetterLedgerRecord(r, 'dead-lettered')),
        );
        await this.inbox.release(
          tx,
          CORE_CONSUMER,
          rows.map((r) => r.messageId),
        );
        return rows.length;
      });
      total += n;
      if (n < SWEEP_BATCH) break;
    }
    if (total)
      this.log.warn(`${total} message(s) dead-lettered: they name a customer or order no connector has sent`);
    return total;
  }

  countPending(): Promise<number> {
    return this.refs.countPending();
  }
}
