import { Injectable, Logger } from '@nestjs/common';

/** Periodic work that runs in the processes that consume the bus (worker, or api when embedded). */
export interface BackgroundJob {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Jobs register here (usually in `onModuleInit`); the bus transport starts them with the consumers
 * and stops them on shutdown, so an api or CLI process that does not consume runs none.
 */
@Injectable()
export class BackgroundJobs {
  private readonly log = new Logger(BackgroundJobs.name);
  private readonly jobs: BackgroundJob[] = [];
  private running = false;

  register(job: BackgroundJob): void {
    if (this.jobs.includes(job)) return;
    this.jobs.push(job);
    if (this.running) job.start();
  }

  startAll(): void {
    this.running = true;
    for (const job of this.jobs) job.start();
    if (this.jobs.length) this.log.log(`background jobs: ${this.jobs.map((j) => j.name).join(', ')}`);
  }

  async stopAll(): Promise<void> {
    this.running = false;
    await Promise.all(this.jobs.map((j) => j.stop()));
  }
}
