import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Envelope } from '@tradelane/contracts';
import { CORE_CONSUMER } from '@tradelane/messaging';
import {
  Database,
  deadLetterLedgerRecord,
  DeadLetterRecord,
  DeadLetterRepository,
  LedgerRepository,
} from '@tradelane/persistence';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { sourceKey } from '../context/latest-by-key.util';
import { RecordsWritten, RecordsWrittenListener, WrittenBatch } from '../context/records-written';
import { UnitOfWork } from '../context/unit-of-work';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { ReferenceKind } from './pending-reference.entity';
import { ChildRef, ReferenceRepository } from './reference.repository';

export const UNKNOWN_REFERENCE = 'UNKNOWN_REFERENCE';
const SWEEP_BATCH = 500;

/** One reference a child record makes, as the handler sees it. */
export interface Reference {
  field: string;
  kind: ReferenceKind;
  source: string;
  externalId: string;
}

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
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
    private readonly recordsWritten: RecordsWritten,
  ) {}

  onModuleInit(): void {
    this.recordsWritten.subscribe(this);
  }

  /** Source records written: their customer references checked; orders that arrived release their children. */
  async onRecordsWritten(uow: UnitOfWork, batch: WrittenBatch): Promise<void> {
    await this.trackCustomerChildren(uow.tx, batch.kind, batch.events, batch.written);
    if (batch.kind === 'order')
      await this.parentsArrived(
        uow.tx,
        'order',
        batch.written.filter((w) => w.created),
      );
  }

  /** Checks the references of children just written (their winning event, whole). */
  track(
    tx: EntityManager,
    entity: string,
    children: { envelope: Envelope; externalId: string; refs: Reference[] }[],
  ): Promise<void> {
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
   * For children that name their customer (`payload.customerExternalId`, `payload.customerSource`):
   * checks the reference of those written, each with the event that won.
   */
  trackCustomerChildren<
    P extends { externalId: string; customerExternalId: string; customerSource?: string },
  >(
    tx: EntityManager,
    entity: string,
    latest: Envelope<P>[],
    written: { tenant: string; source: string; externalId: string }[],
  ): Promise<void> {
    const byKey = new Map(latest.map((e) => [sourceKey(e.tenant, e.source, e.payload.externalId), e]));
    return this.track(
      tx,
      entity,
      written.map((w) => {
        const e = byKey.get(sourceKey(w.tenant, w.source, w.externalId)) as Envelope<P>;
        return {
          envelope: e,
          externalId: w.externalId,
          refs: [
            {
              field: 'payload.customerExternalId',
              kind: 'customer' as const,
              source: e.payload.customerSource ?? e.source,
              externalId: e.payload.customerExternalId,
            },
          ],
        };
      }),
    );
  }

  /**
   * Drops references waiting for these parents. A child committed while its parent's transaction
   * was still open can miss this (neither saw the other); the sweep drops such references first
   * thing, so they never reach the dead-letter store.
   */
  parentsArrived(
    tx: EntityManager,
    kind: ReferenceKind,
    keys: { tenant: string; source: string; externalId: string }[],
  ): Promise<void> {
    return this.refs.resolve(tx, kind, keys);
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
        await tx.query(`DELETE FROM inbox WHERE consumer = $1 AND message_id = ANY($2::uuid[])`, [
          CORE_CONSUMER,
          rows.map((r) => r.messageId),
        ]);
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
