import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { randomUUID } from 'node:crypto';
import { SUBJECT_KINDS } from './kpi-facts.sql';
import { KpiRecomputeRepository } from './kpi-recompute.repository';
import { KpiRecompute } from './kpi.entity';
import { KpiService, RecomputeProgress, RecomputeResult } from './kpi.service';

/** A running recompute that has not been heard of for this long was in a process that stopped. */
const STALE_MINUTES = 15;

/**
 * Full KPI recomputes as background jobs: `start` answers at once with the job, which runs one step
 * per record kind and records its progress; one runs per tenant at a time. The process that runs a
 * job also keeps its progress in memory, so reading it never waits on the recompute's own
 * transaction (the embedded database has one connection).
 */
@Injectable()
export class KpiRecomputeService {
  private readonly log = new Logger('Kpis');
  private readonly live = new Map<string, KpiRecompute>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly jobs: KpiRecomputeRepository,
    private readonly kpis: KpiService,
  ) {}

  /** Starts a recompute of the tenant (409 while one runs); `wait` resolves when it is done. */
  async start(tenant: string, wait = false): Promise<KpiRecompute> {
    await this.jobs.failStale(STALE_MINUTES);
    const job = Object.assign(new KpiRecompute(), {
      id: randomUUID(),
      tenant,
      state: 'running',
      phase: 'starting',
      step: 0,
      steps: SUBJECT_KINDS.length + 1,
      facts: 0,
      values: null,
      missed: null,
      takenOver: 0,
      error: null,
      startedAt: new Date(),
      updatedAt: new Date(),
      finishedAt: null,
    } satisfies KpiRecompute);
    const { running } = await this.jobs.insertRunning(job);
    if (running !== null)
      throw new AppError(
        'conflict',
        `a recompute of tenant ${tenant} is running: GET /kpis/recomputes/${running}`,
      );
    this.live.set(job.id, job);
    const run = this.run(job);
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    if (wait) await run;
    return this.get(job.id);
  }

  async get(id: string): Promise<KpiRecompute> {
    const live = this.live.get(id);
    if (live) return { ...live };
    const job = await this.jobs.get(id);
    if (!job) throw new AppError('not-found', `no KPI recompute ${id}`);
    return job;
  }

  list(tenant: string | undefined, limit: number): Promise<KpiRecompute[]> {
    return this.jobs.list(tenant, limit);
  }

  /** Waits for the recomputes this process runs (graceful shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async run(job: KpiRecompute): Promise<void> {
    const save = async (fields: Partial<KpiRecompute>): Promise<void> => {
      Object.assign(job, fields, { updatedAt: new Date() });
      await this.jobs.save(job);
    };
    try {
      const r: RecomputeResult = await this.kpis.recomputeAll(job.tenant, (p: RecomputeProgress) =>
        save({ phase: p.phase, step: p.step, facts: p.facts, takenOver: p.takenOver }),
      );
      await save({
        state: 'done',
        phase: 'done',
        step: job.steps,
        facts: r.facts,
        values: r.values,
        missed: r.missed,
        takenOver: r.takenOver,
        finishedAt: new Date(),
      });
      this.log.log(
        `recompute ${job.tenant} (${job.id}) done in ${r.ms} ms: ${r.facts} facts, ${r.values} values`,
      );
    } catch (err) {
      this.log.error(`recompute ${job.tenant} (${job.id}) failed: ${(err as Error).message}`);
      await save({
        state: 'failed',
        error: (err as Error).message.slice(0, 1000),
        finishedAt: new Date(),
      }).catch(() => undefined);
    } finally {
      this.live.delete(job.id);
    }
  }
}
