import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { Database, sqlState } from '@tradelane/persistence';
import { randomUUID } from 'node:crypto';
import { SUBJECT_KINDS } from './kpi-facts.sql';
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
    private readonly db: Database,
    private readonly kpis: KpiService,
  ) {}

  /** Starts a recompute of the tenant (409 while one runs); `wait` resolves when it is done. */
  async start(tenant: string, wait = false): Promise<KpiRecompute> {
    await this.db.sql(
      `UPDATE crm_kpi_recompute SET state = 'failed', error = 'the process running it stopped', finished_at = now()
        WHERE state = 'running' AND updated_at < now() - make_interval(mins => $1)`,
      [STALE_MINUTES],
    );
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
    try {
      await this.db.sql(
        `INSERT INTO crm_kpi_recompute (id, tenant, state, phase, step, steps) VALUES ($1, $2, 'running', $3, 0, $4)`,
        [job.id, tenant, job.phase, job.steps],
      );
    } catch (err) {
      if (sqlState(err) !== '23505') throw err;
      const [other] = await this.db.sql<{ id: string }>(
        `SELECT id FROM crm_kpi_recompute WHERE tenant = $1 AND state = 'running'`,
        [tenant],
      );
      throw new AppError(
        'conflict',
        `a recompute of tenant ${tenant} is running: GET /kpis/recomputes/${other?.id ?? ''}`,
      );
    }
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
    const job = await this.db.read((m) => m.getRepository(KpiRecompute).findOneBy({ id }));
    if (!job) throw new AppError('not-found', `no KPI recompute ${id}`);
    return job;
  }

  async list(tenant: string | undefined, limit: number): Promise<KpiRecompute[]> {
    return this.db.read((m) =>
      m.getRepository(KpiRecompute).find({
        where: tenant ? { tenant } : {},
        order: { startedAt: 'DESC' },
        take: limit,
      }),
    );
  }

  /** Waits for the recomputes this process runs (graceful shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async run(job: KpiRecompute): Promise<void> {
    const save = async (fields: Partial<KpiRecompute>): Promise<void> => {
      Object.assign(job, fields, { updatedAt: new Date() });
      await this.db.sql(
        `UPDATE crm_kpi_recompute SET state = $2, phase = $3, step = $4, facts = $5, values = $6, missed = $7,
                taken_over = $8, error = $9, finished_at = $10, updated_at = now() WHERE id = $1`,
        [
          job.id,
          job.state,
          job.phase,
          job.step,
          job.facts,
          job.values,
          job.missed,
          job.takenOver,
          job.error,
          job.finishedAt,
        ],
      );
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
