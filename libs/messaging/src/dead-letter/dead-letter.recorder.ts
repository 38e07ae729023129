import { Logger } from '@nestjs/common';
import {
  Database,
  DeadLetterRecord,
  DeadLetterRepository,
  LedgerRepository,
  deadLetterLedgerRecord,
  isConnectionError,
} from '@tradelane/persistence';
import { createHash } from 'node:crypto';
import { DeadLetterDelivery } from '../bus.port';

const FLUSH_MS = 50;
const MAX_BATCH = 200;

/**
 * Consumes the dead-letter queue into the dead-letter store (table `dead_letter`) and the ledger,
 * in one transaction per batch, then acks. Keeping the store fed from a queue means a consumer can
 * dead-letter a message even while the database is the thing that is failing.
 */
export class DeadLetterRecorder {
  private readonly logger = new Logger(DeadLetterRecorder.name);
  private buffer: DeadLetterDelivery[] = [];
  private timer?: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly deadLetters: DeadLetterRepository,
    private readonly ledger: LedgerRepository,
    private readonly onRecorded?: (count: number) => void,
  ) {}

  readonly listener = (d: DeadLetterDelivery): void => {
    this.buffer.push(d);
    if (this.buffer.length >= MAX_BATCH) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  };

  async drain(): Promise<void> {
    this.flush();
    await this.chain;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer.splice(0);
    if (batch.length) this.chain = this.chain.then(() => this.record(batch));
  }

  private async record(batch: DeadLetterDelivery[]): Promise<void> {
    const rows = batch.map(toRecord);
    try {
      await this.store(rows);
      for (const d of batch) d.ack();
      this.onRecorded?.(batch.length);
      return;
    } catch (err) {
      if (isConnectionError(err)) return this.retryLater(batch, err);
      this.logger.warn(
        `could not store ${batch.length} dead letters together (${(err as Error).message}): storing them one by one`,
      );
    }
    // The store of last resort takes anything: one bad row never holds back the others, and a row
    // that still cannot be stored as it is gets parked with the reason, its bytes intact.
    for (let i = 0; i < batch.length; i++) {
      try {
        await this.store([rows[i]]);
      } catch (err) {
        if (isConnectionError(err)) return this.retryLater(batch.slice(i), err);
        try {
          await this.store([parked(rows[i], err)]);
          this.logger.warn(`dead letter ${rows[i].messageId} parked: ${(err as Error).message}`);
        } catch (again) {
          this.logger.error(
            `dead letter ${rows[i].messageId} cannot be stored at all: ${(again as Error).message}`,
          );
          await this.retryLater([batch[i]], again);
          continue;
        }
      }
      batch[i].ack();
      this.onRecorded?.(1);
    }
  }

  private store(rows: DeadLetterRecord[]): Promise<void> {
    return this.db.transaction(async (tx) => {
      // A DLQ redelivery of a dead letter stored before gets no second ledger row either.
      const stored = await this.deadLetters.record(tx, rows);
      await this.ledger.append(
        tx,
        stored.map((r) => deadLetterLedgerRecord(r, 'dead-lettered')),
      );
    });
  }

  /** The database is not there: back to the queue after a pause (no attempt used, nothing lost). */
  private async retryLater(batch: DeadLetterDelivery[], err: unknown): Promise<void> {
    this.logger.warn(`could not store ${batch.length} dead letters, will retry: ${(err as Error).message}`);
    await new Promise((r) => setTimeout(r, 1_000));
    for (const d of batch) d.requeue();
  }
}

/** What is left of a dead letter that could not be stored as it is: its bytes, consumer and the reason. */
function parked(r: DeadLetterRecord, err: unknown): DeadLetterRecord {
  return {
    ...r,
    messageId: r.messageId.slice(0, 200),
    type: r.type?.slice(0, 200) ?? null,
    key: null,
    tenant: null,
    source: null,
    correlationId: null,
    routingKey: null,
    errorCode: r.errorCode.slice(0, 100),
    errorMessage:
      `${r.errorMessage} [parked: could not be stored as received: ${(err as Error).message}]`.slice(0, 4000),
    errorField: null,
  };
}

/** Reads what it can from the body (which may not even be JSON) to make the dead letter findable. */
export function toRecord(d: DeadLetterDelivery): DeadLetterRecord {
  let parsed: Record<string, unknown> = {};
  try {
    const v = JSON.parse(d.body.toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) parsed = v;
  } catch {
    /* malformed JSON: kept as raw bytes */
  }
  const str = (k: string): string | null =>
    typeof parsed[k] === 'string' ? (parsed[k] as string).slice(0, 500) : null;
  return {
    deliveryId: d.deliveryId,
    messageId: str('id') ?? d.messageId ?? `sha256:${createHash('sha256').update(d.body).digest('hex')}`,
    consumer: d.consumer,
    type: str('type') ?? (d.routingKey || null),
    key: str('key'),
    tenant: str('tenant'),
    source: str('source'),
    correlationId: str('correlationId'),
    routingKey: d.routingKey || null,
    body: d.body,
    errorCode: d.reason.code,
    errorMessage: d.reason.message,
    errorField: d.reason.field ?? null,
    attempts: d.attempts,
  };
}
