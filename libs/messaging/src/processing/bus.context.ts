import { Envelope } from '@tradelane/contracts';
import { OutboxRepository } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { EVENTS_EXCHANGE } from '../topology';
import { UnitOfWork } from './unit-of-work';

/**
 * What a message handler receives next to its payload (`@Ctx() ctx: BusContext`): the open
 * transaction the effect must be written in, and an outbox to emit events in that same
 * transaction. The messaging layer commits, then acks; handlers never ack.
 */
export class BusContext implements UnitOfWork {
  private emittedCount = 0;

  constructor(
    readonly consumer: string,
    /** The message (or, for a batch handler, the messages) being handled, in delivery order. */
    readonly envelopes: Envelope<object>[],
    readonly tx: EntityManager,
    private readonly outbox: OutboxRepository,
    readonly attempt = 1,
    /** false on the backfill lane: a history reload announces nothing to the ERP or partners. */
    private readonly emitsEvents = true,
    /** Record kind → versions that arrived older than the stored one: the processor's, counted after commit. */
    private readonly superseded?: Map<string, number>,
  ) {}

  /** On the backfill lane: a reload of history, not news. */
  get replaysHistory(): boolean {
    return !this.emitsEvents;
  }

  get envelope(): Envelope<object> {
    return this.envelopes[0];
  }

  get emitted(): number {
    return this.emittedCount;
  }

  countSuperseded(record: string, count: number): void {
    this.superseded?.set(record, (this.superseded.get(record) ?? 0) + count);
  }

  /** Writes outbound events to the outbox in the handler's transaction (relayed after commit). */
  async emit(envelopes: Envelope[], exchange = EVENTS_EXCHANGE): Promise<void> {
    if (!this.emitsEvents) return;
    await this.outbox.enqueue(
      this.tx,
      envelopes.map((envelope) => ({ exchange, envelope })),
    );
    this.emittedCount += envelopes.length;
  }
}
