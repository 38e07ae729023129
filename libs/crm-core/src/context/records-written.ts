import { Injectable } from '@nestjs/common';
import { Envelope } from '@tradelane/contracts';
import { WrittenRow } from './newest-wins.upsert';
import { UnitOfWork } from './unit-of-work';

/** Source records a feature just wrote (newest version won), with the events that carried them. */
export interface WrittenBatch {
  kind: 'order' | 'invoice' | 'interaction' | 'inventory-count';
  /** The winning event per record (one per key). */
  events: Envelope<{ externalId: string; customerExternalId: string; customerSource?: string }>[];
  written: WrittenRow[];
}

/** What follows a write, in the writer's transaction (references checked, KPIs marked...). */
export interface RecordsWrittenListener {
  onRecordsWritten(uow: UnitOfWork, batch: WrittenBatch): Promise<void>;
}

/**
 * The in-transaction "records written" hook: a feature that upserts source records tells it once,
 * and the features that follow writes (references, KPIs) subscribe, instead of every writer
 * calling each of them by hand. Listeners run in the order they subscribed, in the same transaction.
 */
@Injectable()
export class RecordsWritten {
  private readonly listeners: RecordsWrittenListener[] = [];

  subscribe(listener: RecordsWrittenListener): void {
    if (!this.listeners.includes(listener)) this.listeners.push(listener);
  }

  async publish(uow: UnitOfWork, batch: WrittenBatch): Promise<void> {
    if (!batch.written.length) return;
    for (const l of this.listeners) await l.onRecordsWritten(uow, batch);
  }
}
