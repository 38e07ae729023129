import { Injectable } from '@nestjs/common';
import { Database, sqlState } from '@tradelane/persistence';
import { KpiRecompute } from './kpi.entity';

/** The recompute jobs (crm_kpi_recompute): one running per tenant (a partial unique index). */
@Injectable()
export class KpiRecomputeRepository {
  constructor(private readonly db: Database) {}

  /** Marks failed the running jobs not heard of for `minutes` (their process stopped). */
  async failStale(minutes: number): Promise<void> {
    await this.db.sql(
      `UPDATE crm_kpi_recompute SET state = 'failed', error = 'the process running it stopped', finished_at = now()
        WHERE state = 'running' AND updated_at < now() - make_interval(mins => $1)`,
      [minutes],
    );
  }

  /** Inserts the running job; when the tenant has one running already, answers that one's id instead. */
  async insertRunning(job: KpiRecompute): Promise<{ running: string | null }> {
    try {
      await this.db.sql(
        `INSERT INTO crm_kpi_recompute (id, tenant, state, phase, step, steps) VALUES ($1, $2, 'running', $3, 0, $4)`,
        [job.id, job.tenant, job.phase, job.steps],
      );
      return { running: null };
    } catch (err) {
      if (sqlState(err) !== '23505') throw err;
      const [other] = await this.db.sql<{ id: string }>(
        `SELECT id FROM crm_kpi_recompute WHERE tenant = $1 AND state = 'running'`,
        [job.tenant],
      );
      return { running: other?.id ?? '' };
    }
  }

  async save(job: KpiRecompute): Promise<void> {
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
  }

  get(id: string): Promise<KpiRecompute | null> {
    return this.db.read((m) => m.getRepository(KpiRecompute).findOneBy({ id }));
  }

  list(tenant: string | undefined, limit: number): Promise<KpiRecompute[]> {
    return this.db.read((m) =>
      m.getRepository(KpiRecompute).find({
        where: tenant ? { tenant } : {},
        order: { startedAt: 'DESC' },
        take: limit,
      }),
    );
  }
}
