import { Logger } from '@nestjs/common';

/** The part of Database the upkeep uses: one statement at a time, each its own section. */
export interface UpkeepTarget {
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
}

/** One table the statistics say needs work. */
interface TableState {
  table: string;
  analyze: boolean;
  vacuum: boolean;
}

export interface UpkeepRound {
  analyzed: string[];
  vacuumed: string[];
}

/**
 * PostgreSQL's autovacuum thresholds (autovacuum_analyze_threshold/scale_factor,
 * autovacuum_vacuum_threshold/scale_factor): a table is analysed once 50 + 10 % of its rows have
 * changed since the last ANALYZE, vacuumed once 50 + 20 % of its rows are dead.
 */
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;

/**
 * What autovacuum does on a server, done by the process for the embedded database. PGlite runs
 * PostgreSQL as a single user, without the autovacuum launcher: no table is ever analysed, the
 * planner takes every table for empty (reltuples -1), and plans nested loops over what is in fact
 * hundreds of orders times customers. Such a query runs synchronously for seconds inside PGlite
 * and nothing else of the process (the API, /health) answers meanwhile. Dead rows (the outbox,
 * the inbox, updated records) are never reclaimed either.
 *
 * Every `intervalMs` the upkeep reads the statistics PGlite does keep while the process runs
 * (pg_stat_user_tables) and analyses or vacuums the tables past the thresholds, one statement per
 * table, so requests interleave. Each goes ahead of queued work (Database passes a target that
 * does): during an import hundreds of transactions wait on the one connection, and the statistics
 * they need would otherwise come after all of them.
 * Tables never analysed (a new database, a restart after a crash) are analysed in the first round.
 */
export class EmbeddedUpkeep {
  private readonly log = new Logger('EmbeddedUpkeep');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: UpkeepTarget,
    private readonly intervalMs = 5_000,
  ) {}

  start(): void {
    if (this.timer || this.intervalMs <= 0) return;
    this.stopped = false;
    // The first round soon after boot: a fresh database is all "never analysed".
    this.schedule(Math.min(this.intervalMs, 1_000));
  }

  /** Stops the rounds and waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.running = this.round()
        .catch((e: unknown) => this.log.warn(`upkeep round failed: ${(e as Error).message}`))
        .finally(() => {
          if (!this.stopped) this.schedule(this.intervalMs);
        });
    }, ms);
    this.timer.unref();
  }

  /** One round: what the statistics ask for, table by table. */
  async round(): Promise<UpkeepRound> {
    const out: UpkeepRound = { analyzed: [], vacuumed: [] };
    for (const t of await this.due()) {
      if (this.stopped) break;
      const name = `"${t.table.replace(/"/g, '""')}"`;
      if (t.vacuum) {
        await this.db.sql(`VACUUM (ANALYZE) ${name}`);
        out.vacuumed.push(t.table);
        out.analyzed.push(t.table);
      } else {
        await this.db.sql(`ANALYZE ${name}`);
        out.analyzed.push(t.table);
      }
    }
    if (out.analyzed.length || out.vacuumed.length)
      this.log.debug(
        `analysed ${out.analyzed.join(', ') || '-'}; vacuumed ${out.vacuumed.join(', ') || '-'}`,
      );
    return out;
  }

  private async due(): Promise<TableState[]> {
    return this.db.sql<TableState>(
      `SELECT * FROM (
         SELECT s.relname AS "table",
                (c.reltuples < 0 OR s.n_mod_since_analyze > $1 + $2 * greatest(c.reltuples, 0)) AS "analyze",
                (s.n_dead_tup > $3 + $4 * greatest(c.reltuples, 0)) AS "vacuum",
                s.n_mod_since_analyze + s.n_dead_tup AS work
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
          WHERE s.schemaname = current_schema()) t
        WHERE "analyze" OR "vacuum"
        ORDER BY work DESC, "table"`,
      [ANALYZE_BASE, ANALYZE_SCALE, VACUUM_BASE, VACUUM_SCALE],
    );
  }
}
