import { Mutex } from 'async-mutex';
import * as fs from 'node:fs';
import { DataSource, EntityManager, MixedList } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { DatabaseConfig, describeDatabase } from './database.config';

const MIGRATION_LOCK_ID = 72_616_200;

export interface SchemaParts {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function>;
}

export function createDataSource(config: DatabaseConfig, schema: SchemaParts): DataSource {
  const common = {
    type: 'postgres' as const,
    entities: schema.entities,
    migrations: schema.migrations,
    synchronize: false,
    migrationsRun: false,
    logging: config.logging,
    // gen_random_uuid() is core PostgreSQL (13+) and PGlite; uuid-ossp is not available in PGlite.
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
  };
  if (config.kind === 'pglite') {
    if (config.dataDir && !config.dataDir.startsWith('memory://'))
      fs.mkdirSync(config.dataDir, { recursive: true });
    return new DataSource({ ...common, driver: new PGliteDriver({ dataDir: config.dataDir }).driver });
  }
  return new DataSource({ ...common, url: config.url, extra: { max: config.poolSize } });
}

/**
 * The one way to the database. On PostgreSQL, a pool; on PGlite (one shared connection, see
 * STACK-NOTES) every transaction and query runs one at a time behind a mutex, because two
 * interleaved transactions on one connection would commit or roll back each other's work.
 */
export class Database {
  private readonly mutex: Mutex | null;

  constructor(
    readonly dataSource: DataSource,
    readonly config: DatabaseConfig,
  ) {
    this.mutex = config.kind === 'pglite' ? new Mutex() : null;
  }

  get embedded(): boolean {
    return this.config.kind === 'pglite';
  }

  describe(): string {
    return describeDatabase(this.config);
  }

  async connect(): Promise<void> {
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
  }

  /** Runs pending migrations; returns the names of those it ran. */
  async migrate(): Promise<string[]> {
    return this.exclusive(async () => {
      if (this.embedded)
        return (await this.dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
      // Several processes may boot at once: a session advisory lock lets one migrate at a time.
      const lock = this.dataSource.createQueryRunner();
      await lock.connect();
      try {
        await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        return (await this.dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
        await lock.release();
      }
    });
  }

  transaction<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.dataSource.transaction(fn));
  }

  /** A read (or single statement) outside any transaction. */
  read<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(() => fn(this.dataSource.manager));
  }

  sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    return this.read((m) => m.query(query, params));
  }

  async ping(): Promise<void> {
    await this.sql('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.exclusive(() => this.dataSource.destroy());
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.mutex ? this.mutex.runExclusive(fn) : fn();
  }
}

/** Postgres error codes (and socket errors) that mean "the database is not there", not "this data is bad". */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  const code = e?.code ?? '';
  if (/^(08|57P0)/.test(code)) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(
    e?.message ?? '',
  );
}
