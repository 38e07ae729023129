import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { BackgroundJob, BackgroundJobs } from '@tradelane/messaging';
import { ConnectorBackfillRepository } from './connector-backfill.repository';
import { ConnectorInstanceRepository } from './connector-instance.repository';
import { ConnectorPullService } from './connector-pull.service';
import { ConnectorSendService } from './connector-send.service';
import { ConnectorRegistry } from './connector.registry';

/** Pages pulled back to back for one stream before the others get a turn. */
const MAX_PAGES_PER_TURN = 50;
const MAX_BACKOFF_MS = 5 * 60_000;
/** Backfill pages per tick, after the live streams: history never starves live polling. */
const BACKFILL_PAGES_PER_TICK = Number(process.env.CONNECTOR_BACKFILL_PAGES_PER_TICK ?? 10);
/** Records a second all backfills of this process may pull (token bucket): live latency stays low. */
const BACKFILL_RATE = Number(process.env.CONNECTOR_BACKFILL_RECORDS_PER_SECOND ?? 1500);

/**
 * Polls the pull streams of running instances (worker role): each stream every `pollSeconds`, at
 * once again while the source says it has more, with exponential backoff after failures. Paused
 * instances are skipped (their cursor stays). Several workers may run it: the cursor row lock lets
 * one of them pull a given stream at a time.
 */
@Injectable()
export class ConnectorPullJob implements BackgroundJob, OnModuleInit {
  readonly name = 'connector-pull';
  private readonly log = new Logger(ConnectorPullJob.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;
  private initialised = false;
  private readonly due = new Map<string, number>();
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly pulls: ConnectorPullService,
    private readonly repo: ConnectorInstanceRepository,
    private readonly registry: ConnectorRegistry,
    private readonly jobs: BackgroundJobs,
    private readonly backfills: ConnectorBackfillRepository,
    private readonly sends: ConnectorSendService,
  ) {}

  onModuleInit(): void {
    if (this.initialised) return; // init hooks run again when the bus transport starts
    this.initialised = true;
    this.jobs.register(this);
  }

  start(): void {
    this.stopping = false;
    this.timer = setInterval(
      () => {
        if (!this.running)
          this.running = this.tick()
            .catch((e) => this.log.error(`connector poll failed: ${(e as Error).message}`))
            .finally(() => (this.running = undefined));
        // Read when the job starts, not when the module loads: the setting is the process's at start.
      },
      Number(process.env.CONNECTOR_TICK_MS ?? 1000),
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass: every due live stream of every running instance, then some backfill pages. */
  async tick(now = Date.now()): Promise<void> {
    await this.live(now);
    await this.sends.sendPending();
    let budget = BACKFILL_PAGES_PER_TICK;
    const t = Date.now();
    this.tokens = Math.min(BACKFILL_RATE, this.tokens + ((t - this.refilledAt) / 1000) * BACKFILL_RATE);
    this.refilledAt = t;
    for (const b of await this.backfills.running()) {
      while (budget > 0 && this.tokens > 0 && !this.stopping) {
        budget--;
        const outcome = await this.pulls.backfillPage(b);
        this.tokens -= outcome.records ?? 0;
        if (outcome.error || outcome.records === null || !outcome.hasMore) break;
      }
    }
  }

  private tokens = 0;
  private refilledAt = Date.now();

  private async live(now: number): Promise<void> {
    for (const instance of await this.repo.runningInstances()) {
      if (!this.registry.has(instance.connectorId)) continue;
      for (const stream of this.registry.get(instance.connectorId).capabilities.pull ?? []) {
        if (this.stopping) return;
        const key = `${instance.id}\u0000${stream.name}`;
        if ((this.due.get(key) ?? 0) > now) continue;
        let pages = 0;
        let outcome;
        do {
          outcome = await this.pulls.pullPage(instance.id, stream.name);
          pages++;
        } while (outcome.hasMore && !outcome.error && pages < MAX_PAGES_PER_TURN && !this.stopping);
        if (outcome.error) {
          const n = (this.failures.get(key) ?? 0) + 1;
          this.failures.set(key, n);
          const wait = outcome.error.retryAfterMs ?? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** n);
          this.due.set(key, Date.now() + wait);
        } else {
          this.failures.delete(key);
          this.due.set(key, outcome.hasMore ? 0 : Date.now() + instance.pollSeconds * 1000);
        }
      }
    }
  }
}
