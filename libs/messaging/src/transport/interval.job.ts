import { Logger, OnModuleInit } from '@nestjs/common';
import { BackgroundJob, BackgroundJobs } from './background-jobs';

/**
 * A background job that runs `tick` every `intervalMs` in consuming processes (registered with the
 * messaging layer, started with the consumers, stopped before them), one run at a time; a failed
 * run is logged and tried again at the next tick.
 */
export abstract class IntervalJob implements BackgroundJob, OnModuleInit {
  abstract readonly name: string;
  protected abstract readonly intervalMs: number;
  /** Run once as soon as the job starts, not only after the first interval. */
  protected readonly runAtStart: boolean = false;
  private readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private initialised = false;

  constructor(private readonly jobs: BackgroundJobs) {}

  protected abstract tick(): Promise<unknown>;

  /** Called once at registration (gauges and the like). */
  protected registered(): void {}

  onModuleInit(): void {
    if (this.initialised) return; // Nest runs init hooks again when the bus transport starts
    this.initialised = true;
    this.jobs.register(this);
    this.registered();
  }

  start(): void {
    const run = () => {
      if (this.running) return;
      this.running = this.tick()
        .catch((e) => this.logger.error(`${this.name} failed, will try again: ${(e as Error).message}`))
        .finally(() => (this.running = undefined));
    };
    if (this.runAtStart) run();
    this.timer = setInterval(run, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
