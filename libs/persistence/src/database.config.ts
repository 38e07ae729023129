import * as path from 'node:path';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseConfig {
  kind: DatabaseKind;
  /** PostgreSQL connection string (kind `postgres`). */
  url?: string;
  /**
   * The role that owns the schema and runs the migrations (`DATABASE_MIGRATION_URL`), so that the
   * application's role (`DATABASE_URL`) owns no table: it cannot turn row-level security off.
   * Unset: the application's role migrates (and owns what it creates).
   */
  migrationUrl?: string;
  /** PGlite data folder (kind `pglite`); `memory://` keeps it in memory. */
  dataDir?: string;
  /** Connection pool size (PostgreSQL only; PGlite has one connection). */
  poolSize: number;
  /** Log every SQL statement (TYPEORM_LOGGING=true). */
  logging: boolean;
  /**
   * PGlite only: how often the process looks for tables to ANALYZE or VACUUM, as autovacuum would
   * on a server (`TRADELANE_EMBEDDED_UPKEEP_MS`, default 5000; 0 turns it off).
   */
  upkeepIntervalMs?: number;
}

/** `DATABASE_URL` set: PostgreSQL. Otherwise the embedded default: PGlite in `TRADELANE_DATA_DIR` (./data/pglite). */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const poolSize = Number(env.DATABASE_POOL_SIZE ?? 10);
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw new Error('DATABASE_POOL_SIZE must be a positive integer');
  const logging = env.TYPEORM_LOGGING === 'true';
  if (env.DATABASE_URL)
    return {
      kind: 'postgres',
      url: env.DATABASE_URL,
      ...(env.DATABASE_MIGRATION_URL ? { migrationUrl: env.DATABASE_MIGRATION_URL } : {}),
      poolSize,
      logging,
    };
  if (env.DATABASE_MIGRATION_URL) throw new Error('DATABASE_MIGRATION_URL needs DATABASE_URL (PostgreSQL)');
  const dataDir = env.TRADELANE_DATA_DIR ?? path.resolve(process.cwd(), 'data', 'pglite');
  const upkeepIntervalMs = Number(env.TRADELANE_EMBEDDED_UPKEEP_MS ?? 5_000);
  if (!Number.isInteger(upkeepIntervalMs) || upkeepIntervalMs < 0)
    throw new Error('TRADELANE_EMBEDDED_UPKEEP_MS must be a whole number of milliseconds (0 turns it off)');
  return { kind: 'pglite', dataDir, poolSize: 1, logging, upkeepIntervalMs };
}

/** The URL without its password, for logs. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'pglite') return `PGlite (embedded) at ${config.dataDir}`;
  try {
    const u = new URL(config.url ?? '');
    if (u.password) u.password = '***';
    return `PostgreSQL at ${u.toString()}`;
  } catch {
    return 'PostgreSQL (unparseable DATABASE_URL)';
  }
}
