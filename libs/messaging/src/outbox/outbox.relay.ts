import { Logger } from '@nestjs/common';
import { Database, LedgerRepository, OutboxRepository, PendingOutboxRow } from '@tradelane/persistence';
import type { QueryRunner } from 'typeorm';
import { MessageBus, RawMessage } from '../bus.port';
import { MessagingMetrics } from '../messaging.metrics';

export interface OutboxRelayOptions {
  batchSize: number;
  pollMs: number;
  /** Back-off after a failed publish, doubled up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long published rows stay in the outbox table (the ledger keeps the history). */
  retentionMs: number;
  purgeEveryMs: number;
}

export const DEFAULT_RELAY_OPTIONS: OutboxRelayOptions = {
  retentionMs: 7 * 24 * 3_600_000,
  purgeEveryMs: 10 * 60_000,

  batchSize: 500,
  pollMs: 250,
  backoffMs: 250,
  maxBackoffMs: 10_000,
};

/** Session-level advisory lock id: one relay publishes at a time, so events leave in outbox order. */
const RELAY_LOCK_ID = 72_616_201;

/**
 * Moves committed outbox rows to the broker. Rows are published in `id` order on one confirm
 * channel and marked published only once the broker confirmed them; a row whose publish failed,
 * and every row after it, is tried again later. Nothing is lost while the broker is down. Rows
 * confirmed while the database is unreachable are remembered and marked first when it is back
 * (not sent again); only a crash between confirm and mark, or a confirm lost with the connection,
 * publishes an event twice with the same id, which consumers' inboxes absorb (at-least-once).
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private lockRunner?: QueryRunner;
  private failures = 0;
  /**
   * Rows the broker confirmed whose mark-published did not commit (the database went away in
   * between): marked before anything else is fetched, so a database outage does not publish
   * them a second time. Only a crash in that window still can (at-least-once; inboxes absorb it).
   */
  private confirmedUnmarked: PendingOutboxRow[] = [];

  constructor(
    private readonly db: Database,
    private readonly outbox: OutboxRepository,
    private readonly ledger: LedgerRepository,
    private readonly bus: MessageBus,
    private readonly metrics: MessagingMetrics,
    private readonly options: OutboxRelayOptions = DEFAULT_RELAY_OPTIONS,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    await this.releaseLock();
  }

  /** Publish now instead of at the next poll (called after a commit that wrote outbox rows). */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * One pass: publishes up to a batch; returns how many rows were published.
   *
   * Rows go out in waves: wave n holds the n-th pending row of every key, and a wave is sent only
   * once the broker confirmed the previous one. A confirm means the message is enqueued, so a later
   * event of a key can never overtake an earlier one that was nacked or lost with the connection
   * (sending the whole batch at once would let it). Usual batches have one event per key: one wave.
   */
  async relayOnce(): Promise<number> {
    if (!(await this.acquireLock())) return 0;
    if (this.confirmedUnmarked.length) {
      await this.markPublished(this.confirmedUnmarked);
      this.logger.log(
        `outbox relay: marked ${this.confirmedUnmarked.length} event(s) the broker had confirmed before the database went away (not sent again)`,
      );
      this.confirmedUnmarked = [];
    }
    const rows = await this.outbox.fetchPending(this.options.batchSize);
    if (!rows.length) return 0;
    const confirmed: PendingOutboxRow[] = [];
    let failure: unknown;
    for (const wave of waves(rows)) {
      const results = await Promise.allSettled(wave.map((r) => this.bus.publishRaw(r.exchange, toRaw(r))));
      results.forEach((r, i) =>
        r.status === 'fulfilled' ? confirmed.push(wave[i]) : (failure ??= r.reason),
      );
      if (failure) break; // keys whose event failed must not send their next one
    }
    if (confirmed.length)
      await this.markPublished(confirmed).catch((err) => {
        this.confirmedUnmarked = confirmed;
        throw err;
      });
    if (failure) throw failure;
    return confirmed.length;
  }

  /**
   * The in-process bus has no durable queue: an event handed to it and not yet committed by its
   * handler is gone if the process dies. So on the embedded default the relay starts by sending
   * again what it published in the last EMBEDDED_REPLAY_SECONDS (300); consumers' inboxes skip what
   * was processed, so only what was lost takes effect.
   */
  private async replayEmbeddedTail(): Promise<void> {
    if (this.bus.kind !== 'in-process') return;
    try {
      const seconds = Number(process.env.EMBEDDED_REPLAY_SECONDS ?? 300);
      const n = await this.outbox.unpublishRecent(seconds);
      if (n)
        this.logger.log(
          `embedded bus: relaying again the ${n} event(s) published in the last ${seconds} s (in case a stop lost them; inboxes skip duplicates)`,
        );
    } catch (err) {
      this.logger.warn(`embedded bus: could not replay the recent outbox: ${(err as Error).message}`);
    }
  }

  /** Removes published outbox rows past the retention period; returns how many went. */
  async purgePublished(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.options.retentionMs);
    let total = 0;
    let n: number;
    while ((n = await this.outbox.purgePublished(cutoff)) > 0) total += n;
    if (total) this.logger.log(`outbox: purged ${total} published events older than ${cutoff.toISOString()}`);
    return total;
  }

  private async run(): Promise<void> {
    await this.replayEmbeddedTail();
    let lastPurge = 0;
    while (this.running) {
      if (Date.now() - lastPurge > this.options.purgeEveryMs && (await this.acquireLock())) {
        lastPurge = Date.now();
        await this.purgePublished().catch((err) =>
          this.logger.warn(`outbox purge failed: ${(err as Error).message}`),
        );
      }
      let published = 0;
      try {
        published = await this.relayOnce();
        this.failures = 0;
      } catch (err) {
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0)
          this.logger.warn(
            `outbox relay: publish failed (${this.failures}x), will retry: ${(err as Error).message}`,
          );
      }
      if (published >= this.options.batchSize) continue;
      const backoff = this.failures
        ? Math.min(this.options.backoffMs * 2 ** (this.failures - 1), this.options.maxBackoffMs)
        : this.options.pollMs;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, backoff);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async markPublished(rows: PendingOutboxRow[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.outbox.markPublished(
        tx,
        rows.map((r) => r.id),
      );
      await this.ledger.append(
        tx,
        rows.map((r) => ({
          messageId: r.envelope.id,
          direction: 'out' as const,
          consumer: r.exchange,
          status: 'published' as const,
          type: r.envelope.type,
          key: r.envelope.key,
          tenant: r.envelope.tenant ?? null,
          source: r.envelope.source ?? null,
          correlationId: r.envelope.correlationId ?? null,
          causationId: r.envelope.causationId ?? null,
        })),
      );
    });
    for (const r of rows) this.metrics.messagesOut.inc({ exchange: r.exchange, type: r.envelope.type });
  }

  /** PostgreSQL: hold an advisory lock on a dedicated connection. PGlite: one process, no lock needed. */
  private async acquireLock(): Promise<boolean> {
    if (this.db.embedded) return true;
    try {
      if (this.lockRunner) {
        await this.lockRunner.query('SELECT 1');
        return true;
      }
      const runner = this.db.dataSource.createQueryRunner();
      await runner.connect();
      const [row] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_ID]);
      if (row.locked) {
        this.lockRunner = runner;
        this.logger.log('outbox relay: this process publishes the outbox');
        return true;
      }
      await runner.release();
      return false;
    } catch (err) {
      this.logger.warn(`outbox relay: lost the database connection: ${(err as Error).message}`);
      await this.releaseLock();
      return false;
    }
  }

  private async releaseLock(): Promise<void> {
    const runner = this.lockRunner;
    this.lockRunner = undefined;
    if (!runner) return;
    await runner.query('SELECT pg_advisory_unlock($1)', [RELAY_LOCK_ID]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }
}

function toRaw(r: PendingOutboxRow): RawMessage {
  return { body: Buffer.from(r.body), routingKey: r.envelope.type, headers: {}, messageId: r.envelope.id };
}

/** Splits rows (in outbox order) into waves: the n-th row of each key goes into wave n. */
export function waves(rows: PendingOutboxRow[]): PendingOutboxRow[][] {
  const out: PendingOutboxRow[][] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const n = seen.get(row.envelope.key) ?? 0;
    seen.set(row.envelope.key, n + 1);
    (out[n] ??= []).push(row);
  }
  return out;
}
