import {
  DeadLetter,
  DeadLetterRepository,
  DeadLetterSelector,
  LedgerRepository,
  deadLetterLedgerRecord,
} from '@tradelane/persistence';
import { MessageBus } from '../bus.port';
import { HEADER } from '../topology';

export class RedriveSelectorError extends Error {}

export interface RedriveResult {
  redriven: Pick<DeadLetter, 'id' | 'messageId' | 'consumer' | 'type' | 'key'>[];
}

/**
 * Sends dead letters back to the consumer that gave up on them (not to every consumer of the
 * exchange), with a fresh set of attempts. The message id is unchanged, so a message that was in
 * fact processed is not processed twice. Where one message id was dead-lettered more than once
 * (redriven and failed again, or reused by a producer), the newest delivery is sent and the older
 * rows are marked redriven with it; every row keeps its body and reason.
 */
export class RedriveService {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly ledger: LedgerRepository,
    private readonly bus: MessageBus,
  ) {}

  async redrive(selector: DeadLetterSelector, limit = 1000): Promise<RedriveResult> {
    const given = (v: string | undefined) => v !== undefined && v !== '';
    const narrowing = [selector.type, selector.key, selector.source].filter(given).length;
    if (given(selector.messageId) ? narrowing > 0 : narrowing === 0)
      throw new RedriveSelectorError(
        'give a message id, or any of: type, key, source (the connector instance, e.g. erp-odoo:main)',
      );
    const { newest: rows, answered } = await this.deadLetters.forRedrive(selector, limit);
    for (const row of rows) {
      await this.bus.sendToConsumer(row.consumer, {
        body: row.body,
        routingKey: row.routingKey ?? row.type ?? '',
        headers: { [HEADER.redriven]: 1, [HEADER.attempt]: 1 },
        messageId: row.messageId,
      });
    }
    await this.deadLetters.markRedriven([...rows.map((r) => r.id), ...answered]);
    await this.ledger.append(
      null,
      rows.map((r) => deadLetterLedgerRecord(r, 'redriven')),
    );
    return {
      redriven: rows.map(({ id, messageId, consumer, type, key }) => ({
        id,
        messageId,
        consumer,
        type,
        key,
      })),
    };
  }
}
