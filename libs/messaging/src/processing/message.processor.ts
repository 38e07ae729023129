import { Logger } from '@nestjs/common';
import { ContractRegistry, CONTRACTS, Envelope, parseEnvelope } from '@tradelane/contracts';
import {
  Database,
  InboxRepository,
  isConnectionError,
  LedgerRecord,
  LedgerRepository,
  OutboxRepository,
} from '@tradelane/persistence';
import { Delivery } from '../bus.port';
import { classifyError, FailureReason } from '../errors';
import { MessagingMetrics } from '../messaging.metrics';
import { ConsumerSpec, maxAttempts } from '../topology';
import { BusContext } from './bus.context';
import { HandlerDispatcher, ResolvedHandler } from './handler-dispatcher';

export interface BatchOptions {
  /** Most messages committed in one transaction. */
  batchSize: number;
  /** Longest a message waits for its batch to fill. */
  maxWaitMs: number;
  /**
   * Batches processed at once. Messages are split across lanes by business key, so one key's
   * messages always stay in one lane, in order; lanes overlap their database round trips.
   */
  lanes: number;
}

export const DEFAULT_BATCH_OPTIONS: BatchOptions = { batchSize: 500, maxWaitMs: 20, lanes: 2 };

export interface ProcessorDeps {
  db: Database;
  inbox: InboxRepository;
  ledger: LedgerRepository;
  outbox: OutboxRepository;
  dispatcher: HandlerDispatcher;
  metrics: MessagingMetrics;
  /** Called after a commit that wrote outbox rows, so the relay does not wait for its next poll. */
  onOutboxWritten?: () => void;
  /** Contracts messages are validated against (default: every contract of @tradelane/contracts). */
  contracts?: ContractRegistry;
  /** Awaited before each batch: a lower-priority consumer (backfill) waits for the live one to be idle. */
  yieldTo?: () => Promise<void>;
}

interface Item {
  delivery: Delivery;
  envelope: Envelope<object>;
  handlers: ResolvedHandler[];
  /** A second copy of an id already in the batch: acked with the first, never handled. */
  duplicate: boolean;
}

const CONNECTION_PAUSE_MS = 1_000;

/**
 * The one place where ack, retry and dead-letter policy lives (STYLE.md rule 14).
 *
 * Deliveries are gathered into batches (up to `batchSize` or `maxWaitMs`). A batch is one
 * transaction: claim the message ids in the inbox (a redelivered id is skipped), run the handlers,
 * append to the ledger, commit, then ack every delivery of the batch. If any handler throws, the
 * batch is rolled back and its messages are replayed one transaction each, so a bad message is
 * retried or dead-lettered alone and nothing else in the batch is lost. Batches run one after the
 * other, which keeps per-key order within a worker.
 */
export class MessageProcessor {
  private readonly logger: Logger;
  private buffer: Delivery[] = [];
  private timer?: NodeJS.Timeout;
  /** One promise chain per lane: batches of a lane run one after the other. */
  private readonly lanes: Promise<void>[];
  private readonly options: BatchOptions;
  private inFlight = 0;
  private rejections: Promise<void> = Promise.resolve();

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly deps: ProcessorDeps,
    options: BatchOptions = DEFAULT_BATCH_OPTIONS,
  ) {
    this.options = spec.batch ?? options;
    this.logger = new Logger(`MessageProcessor:${spec.name}`);
    this.lanes = Array.from({ length: Math.max(1, this.options.lanes) }, () => Promise.resolve());
  }

  readonly listener = (delivery: Delivery): void => {
    this.buffer.push(delivery);
    if (this.buffer.length >= this.options.batchSize) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.options.maxWaitMs);
  };

  /** Resolves once nothing is buffered or being processed (what a lower-priority consumer waits for). */
  async whenIdle(): Promise<void> {
    while (this.inFlight > 0 || this.buffer.length) {
      this.flush();
      await Promise.all(this.lanes);
    }
  }

  /** Processes what is buffered and resolves when every batch taken so far has been settled. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.all([...this.lanes, this.rejections]);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, this.options.batchSize);
      this.deps.metrics.batchSize.observe({ consumer: this.spec.name }, batch.length);
      const perLane = new Map<number, Item[]>();
      for (const item of this.prepare(batch)) {
        const lane = laneOf(item.envelope.key, this.lanes.length);
        const list = perLane.get(lane) ?? [];
        list.push(item);
        perLane.set(lane, list);
      }
      for (const [lane, items] of perLane) {
        this.inFlight++;
        this.lanes[lane] = this.lanes[lane]
          .then(() => this.deps.yieldTo?.())
          .then(() => this.process(items))
          .finally(() => this.inFlight--)
          .catch((err) => {
            // process() settles every delivery itself; reaching here is a bug, not a message problem.
            this.logger.error(`batch processing failed unexpectedly: ${(err as Error).stack}`);
            for (const i of items) i.delivery.requeue();
          });
      }
    }
  }

  /**
   * Parses and validates a batch (synchronously: it is CPU work) and dead-letters what can never
   * be processed. Returns the processable items; a second copy of an id in the batch is marked.
   */
  private prepare(batch: Delivery[]): Item[] {
    const items: Item[] = [];
    const seen = new Set<string>();
    for (const delivery of batch) {
      let envelope: Envelope<object>;
      try {
        envelope = parseEnvelope(delivery.body, this.deps.contracts ?? CONTRACTS);
      } catch (err) {
        this.reject(delivery, classifyError(err), 'invalid');
        continue;
      }
      const handlers = this.deps.dispatcher.resolve(this.spec.handlersOf ?? this.spec.name, envelope.type);
      if (!handlers.length) {
        const message = `no handler for ${envelope.type} in ${this.spec.name}`;
        this.reject(delivery, { code: 'NO_HANDLER', message, field: 'type' }, envelope.type);
        continue;
      }
      items.push({ delivery, envelope, handlers, duplicate: seen.has(envelope.id) });
      seen.add(envelope.id);
    }
    return items;
  }

  private reject(delivery: Delivery, reason: FailureReason, type: string): void {
    this.rejections = this.rejections.then(() => this.deadLetter(delivery, reason, type));
  }

  /** A lane's batch: one transaction; if it fails, one transaction per message to isolate the bad one. */
  private async process(all: Item[]): Promise<void> {
    const started = process.hrtime.bigint();
    const items = all.filter((i) => !i.duplicate);
    const duplicates = all.filter((i) => i.duplicate).map((i) => i.delivery);
    await this.recordReceived(items);
    try {
      await this.commit(items);
      for (const d of duplicates) d.ack();
    } catch (err) {
      if (isConnectionError(err))
        return this.requeueAll(
          all.map((i) => i.delivery),
          err,
        );
      for (const d of duplicates) d.ack(); // the copy we keep is retried or dead-lettered below
      if (items.length === 1) return this.fail(items[0], err);
      for (const item of items) {
        try {
          await this.commit([item]);
        } catch (oneErr) {
          if (isConnectionError(oneErr))
            return this.requeueAll(
              items.slice(items.indexOf(item)).map((i) => i.delivery),
              oneErr,
            );
          await this.fail(item, oneErr);
        }
      }
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.deps.metrics.batchDuration.observe({ consumer: this.spec.name }, seconds);
    }
  }

  /**
   * Ledger `received` rows, outside the effect's transaction so they survive its rollback or a
   * crash: a message that was seen but never processed shows up. First deliveries only (a retry's
   * arrival is already told by its `retrying` row). Best effort: the ledger must not stop the pipeline.
   */
  private async recordReceived(items: Item[]): Promise<void> {
    const first = items.filter((i) => i.delivery.attempt === 1 && !i.delivery.redriven);
    if (!first.length) return;
    await this.deps.ledger
      .append(
        null,
        first.map((i) => ledgerRecord(this.spec.name, i, 'received')),
      )
      .catch((err) => this.logger.warn(`ledger (received) not written: ${(err as Error).message}`));
  }

  /** One transaction for the items: inbox claim, handlers, ledger; then ack. */

  private async commit(items: Item[]): Promise<void> {
    const { db, inbox, ledger, outbox, metrics } = this.deps;
    const consumer = this.spec.name;
    const emits = this.spec.emitEvents !== false;
    let emitted = 0;
    let fresh = new Set<string>();
    const superseded = new Map<string, number>();
    await db.transaction(async (tx) => {
      superseded.clear();
      emitted = 0;
      fresh = await inbox.claim(
        tx,
        consumer,
        items.map((i) => i.envelope.id),
      );
      const todo = items.filter((i) => fresh.has(i.envelope.id));
      for (const group of groupRuns(todo)) {
        for (const handler of group[0].handlers) {
          const t0 = process.hrtime.bigint();
          if (handler.batch) {
            const envelopes = group.map((i) => i.envelope);
            const ctx = new BusContext(
              consumer,
              envelopes,
              tx,
              outbox,
              group[0].delivery.attempt,
              emits,
              superseded,
            );
            await handler.invoke(envelopes, ctx);
            emitted += ctx.emitted;
          } else {
            for (const item of group) {
              const ctx = new BusContext(
                consumer,
                [item.envelope],
                tx,
                outbox,
                item.delivery.attempt,
                emits,
                superseded,
              );
              await handler.invoke(item.envelope, ctx);
              emitted += ctx.emitted;
            }
          }
          const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
          metrics.handlerDuration.observe({ consumer, type: group[0].envelope.type }, seconds);
        }
      }
      await ledger.append(
        tx,
        todo.map((i) => ledgerRecord(consumer, i, 'processed')),
      );
    });
    for (const item of items) {
      item.delivery.ack();
      const outcome = fresh.has(item.envelope.id) ? 'processed' : 'duplicate';
      metrics.messagesIn.inc({ consumer, type: item.envelope.type, outcome });
    }
    for (const [record, n] of superseded) metrics.versionsSuperseded.inc({ consumer, record }, n);
    if (emitted > 0) this.deps.onOutboxWritten?.();
  }

  private async fail(item: Item, err: unknown): Promise<void> {
    const reason = classifyError(err);
    const { delivery, envelope } = item;
    const consumer = this.spec.name;
    this.deps.metrics.messagesFailed.inc({ consumer, type: envelope.type, code: reason.code });
    const last = delivery.attempt >= maxAttempts(this.spec.retry);
    const context = {
      messageId: envelope.id,
      correlationId: envelope.correlationId,
      type: envelope.type,
      key: envelope.key,
    };
    if (reason.disposition === 'retry' && !last) {
      const delayMs = this.spec.retry.delaysMs[delivery.attempt - 1];
      this.logger.warn({
        ...context,
        attempt: delivery.attempt,
        code: reason.code,
        delayMs,
        msg: `retrying: ${reason.message}`,
      });
      await this.deps.ledger
        .append(null, [{ ...ledgerRecord(consumer, item, 'retrying'), ...errorColumns(reason) }])
        .catch((e) => this.logger.warn(`ledger write failed: ${(e as Error).message}`));
      await this.settle(delivery, () => delivery.retry(delayMs, reason));
      this.deps.metrics.messagesIn.inc({ consumer, type: envelope.type, outcome: 'retried' });
      return;
    }
    this.logger.warn({
      ...context,
      attempt: delivery.attempt,
      code: reason.code,
      msg: `dead-lettered: ${reason.message}`,
    });
    await this.deadLetter(delivery, reason, envelope.type);
  }

  private async deadLetter(delivery: Delivery, reason: FailureReason, type: string): Promise<void> {
    await this.settle(delivery, () => delivery.deadLetter(reason));
    this.deps.metrics.messagesIn.inc({ consumer: this.spec.name, type, outcome: 'dead_lettered' });
  }

  /** Retry/dead-letter publish failed (broker gone): leave the message to be redelivered. */
  private async settle(delivery: Delivery, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (err) {
      this.logger.warn(`could not forward message, it will be redelivered: ${(err as Error).message}`);
      delivery.requeue();
    }
  }

  private async requeueAll(deliveries: Delivery[], err: unknown): Promise<void> {
    this.logger.warn(
      `database unavailable (${(err as Error).message}); requeueing ${deliveries.length} messages`,
    );
    for (const d of deliveries) d.requeue();
    this.deps.metrics.messagesIn.inc(
      { consumer: this.spec.name, type: 'any', outcome: 'requeued' },
      deliveries.length,
    );
    await new Promise((r) => setTimeout(r, CONNECTION_PAUSE_MS));
  }
}

/** FNV-1a over the key: stable lane per business key. */
export function laneOf(key: string, lanes: number): number {
  if (lanes <= 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % lanes;
}

/** Consecutive items with the same handlers form one run (one batch-handler call). */
function groupRuns(items: Item[]): Item[][] {
  const runs: Item[][] = [];
  let key = '';
  for (const item of items) {
    const k = item.handlers.map((h) => h.id).join('|');
    if (runs.length && k === key) runs[runs.length - 1].push(item);
    else runs.push([item]);
    key = k;
  }
  return runs;
}

function ledgerRecord(consumer: string, item: Item, status: LedgerRecord['status']): LedgerRecord {
  const e = item.envelope;
  return {
    messageId: e.id,
    direction: 'in',
    consumer,
    status,
    type: e.type,
    key: e.key,
    tenant: e.tenant,
    source: e.source,
    correlationId: e.correlationId,
    causationId: e.causationId,
    attempt: item.delivery.attempt,
  };
}

function errorColumns(reason: FailureReason): Partial<LedgerRecord> {
  return { errorCode: reason.code, errorMessage: reason.message, errorField: reason.field ?? null };
}
