import { Injectable } from '@nestjs/common';
import { EVENTS_EXCHANGE, OutboxRelay } from '@tradelane/messaging';
import { Database, OutboxRepository } from '@tradelane/persistence';
import { UnitOfWork } from './unit-of-work';

/**
 * A unit of work for changes that do not come from the bus (an operator merging two customers
 * through the API): one transaction, events through the outbox, the relay woken after commit.
 */
@Injectable()
export class TransactionRunner {
  constructor(
    private readonly db: Database,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
  ) {}

  async run<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    let emitted = 0;
    const result = await this.db.transaction((tx) =>
      fn({
        tx,
        emit: async (envelopes, exchange = EVENTS_EXCHANGE) => {
          emitted += envelopes.length;
          await this.outbox.enqueue(
            tx,
            envelopes.map((envelope) => ({ exchange, envelope })),
          );
        },
      }),
    );
    if (emitted) this.relay.wake();
    return result;
  }
}
