import { Mutex } from 'async-mutex';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { DataSource, DataSourceOptions, EntityManager, MixedList } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { DataDirLock } from './data-dir.lock';
import { DatabaseConfig, describeDatabase } from './database.config';
import { EmbeddedUpkeep } from './embedded-upkeep';
import { scopedPartner, scopedTenant } from './tenant-scope';

const MIGRATION_LOCK_ID = 72_616_200;
/** Mutex priority of a statement that goes ahead of queued work (embedded; async-mutex: higher first). */
const AHEAD = 1;

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
  return new DataSource({
    ...common,
    url: config.url,
    // A database that does not answer makes a caller wait DATABASE_CONNECT_TIMEOUT_MS for a connection, not forever.
    extra: {
      max: config.poolSize,
      connectionTimeoutMillis: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 10_000),
      keepAlive: true,
      // Short queries: JIT compiling them costs more than it saves (seconds, once policies with
      // subqueries make a plan look expensive).
      options: '-c jit=off',
    },
  });
}

/** What the current async call chain holds: the manager of the open section (transaction or read). */
interface Section {
  readonly manager: EntityManager;
  readonly transaction: boolean;
  /** False once the section ended: work it spawned and that outlives it no longer counts as inside. */
  open: boolean;
}

const sections = new AsyncLocalStorage<Section>();

/**
 * Runs `fn` outside any database section of the caller: for work that a section starts but does
 * not wait for (a bus delivery, a timer). Without it, that work would count as nested in the
 * section that happened to start it.
 */
export function detachedFromDatabase<T>(fn: () => T): T {
  return sections.exit(fn);
}

/** A transaction opened while the same call chain holds one: never atomic with it, and on the embedded database a deadlock. */
export class NestedTransactionError extends Error {
  constructor() {
    super(
      'a database transaction was opened inside another one on the same call chain: pass the open ' +
        "transaction's EntityManager down instead (on the embedded database this would wait for itself forever)",
    );
    this.name = 'NestedTransactionError';
  }
}

/**
 * The one way to the database. On PostgreSQL, a pool; on PGlite (one shared connection, see
 * STACK-NOTES) every transaction and query runs one at a time behind a mutex, because two
 * interleaved transactions on one connection would commit or roll back each other's work.
 *
 * Waiting for itself is impossible by construction: the call chain that holds a section is known
 * (AsyncLocalStorage). A read from inside a section runs in that section (its transaction, its
 * connection) instead of queueing behind it; a transaction opened inside a transaction throws
 * NestedTransactionError at once, on both databases, so the tests on PostgreSQL catch what would
 * hang on PGlite.
 */
export class Database {
  private readonly mutex: Mutex | null;
  /** The embedded data folder's lock (a folder on disk only): one process at a time. */
  private readonly lock: DataDirLock | null;
  /**
   * PostgreSQL: the pool of tenant-scoped reads. Its connections are set, for the session, to the
   * tenant of the read they serve (and, on a superuser connection, to the role tradelane_app), so a
   * read of a request scoped to a tenant is bound by row-level security without a transaction of
   * its own; a connection is set again only when the next read is for another tenant. System work
   * never uses this pool, so it never meets a connection set to a tenant.
   */
  private scopedPool: Promise<DataSource> | null = null;
  private readonly tenantOfConnection = new WeakMap<object, string>();
  /** Embedded only: the statistics and dead rows autovacuum would see to on a server. */
  private readonly upkeep: EmbeddedUpkeep | null;

  constructor(
    readonly dataSource: DataSource,
    readonly config: DatabaseConfig,
  ) {
    this.mutex = config.kind === 'pglite' ? new Mutex() : null;
    this.lock =
      config.kind === 'pglite' && config.dataDir && !config.dataDir.startsWith('memory://')
        ? new DataDirLock(config.dataDir)
        : null;
    // Upkeep statements go ahead of queued work: during an import the queue holds hundreds of
    // transactions, and the statistics they need would otherwise come after all of them.
    this.upkeep = this.embedded
      ? new EmbeddedUpkeep({ sql: (q, p) => this.sqlAhead(q, p) }, config.upkeepIntervalMs)
      : null;
  }

  /**
   * Starts the embedded database's upkeep (ANALYZE and VACUUM where PostgreSQL's autovacuum would,
   * see EmbeddedUpkeep); nothing on PostgreSQL, whose autovacuum does it. The apps call it once the
   * migrations ran.
   */
  startUpkeep(): void {
    this.upkeep?.start();
  }

  /**
   * Embedded only: analyses (and vacuums) now what the statistics say is due, ahead of queued work,
   * instead of at the next upkeep round. For a caller that has just written many rows and is about
   * to read them in a join (the sample's first classification); nothing on PostgreSQL.
   */
  async refreshStatistics(): Promise<void> {
    await this.upkeep?.round();
  }

  get embedded(): boolean {
    return this.config.kind === 'pglite';
  }

  describe(): string {
    return describeDatabase(this.config);
  }

  /** Opens the connection; on an embedded folder, first takes its lock (DataDirLockedError if another process has it). */
  async connect(): Promise<void> {
    if (this.dataSource.isInitialized) return;
    this.lock?.acquire();
    try {
      await this.dataSource.initialize();
    } catch (e) {
      this.lock?.release();
      throw e;
    }
  }

  /** Tells a second process where this one's API answers (the CLI's `--api` hint). */
  announce(api: string): void {
    this.lock?.announce({ api });
  }

  /**
   * Runs pending migrations; returns the names of those it ran. With a migration URL
   * (`DATABASE_MIGRATION_URL`) they run as that role, the schema's owner, on a connection of their own.
   */
  async migrate(): Promise<string[]> {
    return this.exclusive(async () => {
      if (this.embedded)
        return (await this.dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
      const owner = this.config.migrationUrl
        ? new DataSource({
            ...this.dataSource.options,
            url: this.config.migrationUrl,
            extra: { max: 2 },
          } as DataSourceOptions)
        : null;
      const ds = owner ?? this.dataSource;
      if (owner) await owner.initialize();
      // Several processes may boot at once: a session advisory lock lets one migrate at a time.
      const lock = ds.createQueryRunner();
      try {
        await lock.connect();
        await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
        await lock.release();
        if (owner) await owner.destroy();
      }
    });
  }

  /**
   * What the application's role may do that it should not: bypass row-level security, or own
   * tables (an owner can turn it off). Empty when it is as it should be; always empty on the
   * embedded database (one local user, a trial) and for a superuser (tests, development: scoped
   * transactions switch to tradelane_app).
   */
  async roleWarnings(): Promise<string[]> {
    if (this.embedded) return [];
    const [r] = await this.sql<{
      role: string;
      bypass: boolean;
      sup: boolean;
      owned: number;
      partner: boolean;
    }>(
      `SELECT current_user AS role, rolbypassrls AS bypass, rolsuper AS sup,
              (SELECT count(*)::int FROM pg_tables WHERE tableowner = current_user AND schemaname = current_schema()) AS owned,
              EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tradelane_partner')
                AND pg_has_role(current_user, 'tradelane_partner', 'MEMBER') AS partner
         FROM pg_roles WHERE rolname = current_user`,
    );
    // A superuser (test clusters, development) switches to tradelane_app in scoped transactions.
    if (r.sup) return [];
    const out: string[] = [];
    if (r.bypass)
      out.push(
        `the database role ${r.role} has BYPASSRLS: tenant and partner isolation are not enforced by the database`,
      );
    if (!r.partner)
      out.push(
        `the database role ${r.role} cannot act as tradelane_partner: partner requests will fail ` +
          '(GRANT tradelane_partner_gate TO it; scripts/setup-services.sh does)',
      );
    if (r.owned > 0)
      out.push(
        `the database role ${r.role} owns ${r.owned} tables (it could turn row-level security off): ` +
          'run the migrations as a separate owner (DATABASE_MIGRATION_URL; README, Access)',
      );
    return out;
  }

  transaction<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    const held = this.held();
    if (held?.transaction) return Promise.reject(new NestedTransactionError());
    const run = () =>
      this.dataSource.transaction(async (tx) => {
        await this.scopeTransaction(tx);
        return this.within(tx, true, () => fn(tx));
      });
    // Inside a plain read section (embedded: the connection is ours already) open it directly.
    if (held) return run();
    return this.exclusive(run);
  }

  /** Whether scoped transactions must also switch to tradelane_app (a superuser bypasses every policy). */
  private switchRole: Promise<boolean> | undefined;

  /**
   * A transaction of a request scoped to a tenant (tenant-scope.ts) is set to that tenant, for its
   * duration only: row-level security (migration RowLevelSecurity1700000024000) then lets it see
   * and write that tenant's rows alone, whatever its SQL forgets; a partner's request is also set to
   * its partner organisation (`tradelane.partner`: the partner scope policies). On a superuser connection (the
   * embedded database, test clusters) it also runs as tradelane_app, which policies bind.
   */
  private async scopeTransaction(tx: EntityManager): Promise<void> {
    const tenant = scopedTenant();
    if (tenant === undefined) return;
    const partner = scopedPartner();
    // A partner's transaction runs as tradelane_partner, the role its policies name (a login role
    // reaches it through tradelane_partner_gate); it fails, closed, when the role cannot be taken.
    if (partner !== undefined) {
      await tx.query(
        `SELECT set_config('tradelane.tenant', $1, true), set_config('tradelane.partner', $2, true),
                set_config('role', 'tradelane_partner', true)`,
        [tenant, partner],
      );
      return;
    }
    await tx.query(
      (await this.mustSwitchRole(tx))
        ? `SELECT set_config('tradelane.tenant', $1, true), set_config('role', 'tradelane_app', true)`
        : `SELECT set_config('tradelane.tenant', $1, true)`,
      [tenant],
    );
  }

  /** Whether scoped work must switch to tradelane_app: a superuser or BYPASSRLS role is not bound by policies. */
  private mustSwitchRole(m: { query(sql: string): Promise<unknown> }): Promise<boolean> {
    this.switchRole ??= m
      .query(
        `SELECT coalesce((SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user), false)
                AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tradelane_app') AS switch`,
      )
      .then((rows) => (rows as { switch: boolean }[])[0].switch);
    return this.switchRole;
  }

  /**
   * A read (or single statement) outside any transaction; inside one, it runs in that transaction.
   * A partner's request reads in a transaction set to the partner, so that row-level security
   * decides what it sees, whatever the SQL asks for.
   */
  read<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    const held = this.held();
    if (held) return fn(held.manager);
    if (scopedPartner() !== undefined) return this.transaction(fn);
    const tenant = scopedTenant();
    if (tenant !== undefined)
      return this.embedded
        ? this.transaction(fn)
        : this.scopedPoolReady().then((pool) => this.readAs(tenant, pool, fn));
    return this.exclusive(() =>
      this.within(this.dataSource.manager, false, () => fn(this.dataSource.manager)),
    );
  }

  /**
   * The scoped pool, made at the first scoped read (a worker, which serves no request, never pays
   * for a second pool and its metadata).
   */
  private scopedPoolReady(): Promise<DataSource> {
    this.scopedPool ??= new DataSource({ ...this.dataSource.options } as DataSourceOptions)
      .initialize()
      .catch((e: unknown) => {
        this.scopedPool = null;
        throw e;
      });
    return this.scopedPool;
  }

  /**
   * A read on a connection of the scoped pool set to `tenant` (row-level security binds it). Its
   * statements run one at a time on that connection (the section's manager), in the order asked.
   */
  private async readAs<T>(
    tenant: string,
    pool: DataSource,
    fn: (m: EntityManager) => Promise<T>,
  ): Promise<T> {
    const runner = pool.createQueryRunner();
    await runner.connect();
    try {
      const connection = (runner as unknown as { databaseConnection: object }).databaseConnection;
      if (this.tenantOfConnection.get(connection) !== tenant) {
        await runner.query(
          (await this.mustSwitchRole(runner))
            ? `SELECT set_config('tradelane.tenant', $1, false), set_config('role', 'tradelane_app', false)`
            : `SELECT set_config('tradelane.tenant', $1, false)`,
          [tenant],
        );
        this.tenantOfConnection.set(connection, tenant);
      }
      // One connection: statements asked at once wait their turn (node-postgres refuses overlapping queries).
      const query = runner.query.bind(runner);
      const client = connection as PreparingClient;
      let queue: Promise<unknown> = Promise.resolve();
      runner.query = ((sql: string, params?: unknown[], structured?: boolean) => {
        // Plain queries run as named prepared statements (one per SQL text and connection): parse
        // and rewrite, which under row-level security expand every policy, happen once.
        const next = queue.then(async () =>
          structured
            ? query(sql, params, true)
            : ((await prepared(client, sql, params)) ?? query(sql, params)),
        );
        queue = next.catch(() => undefined);
        return next;
      }) as typeof runner.query;
      return await this.within(runner.manager, false, () => fn(runner.manager));
    } finally {
      await runner.release();
    }
  }

  sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    return this.read((m) => m.query(query, params));
  }

  /**
   * Whether the database answers. On the embedded database it goes ahead of queued work: a queue of
   * an import's transactions is load, not an outage.
   */
  async ping(): Promise<void> {
    await (this.embedded ? this.sqlAhead('SELECT 1') : this.sql('SELECT 1'));
  }

  /** Embedded: a statement of system work (no tenant, no transaction) that takes the next turn. */
  private sqlAhead<T>(query: string, params: unknown[] = []): Promise<T[]> {
    const held = this.held();
    if (held || scopedTenant() !== undefined) return this.sql<T>(query, params);
    return this.exclusive(
      () => this.within(this.dataSource.manager, false, () => this.dataSource.manager.query(query, params)),
      AHEAD,
    );
  }

  async close(): Promise<void> {
    await this.upkeep?.stop();
    const scoped = await this.scopedPool?.catch(() => null);
    if (scoped?.isInitialized) await scoped.destroy();
    if (this.dataSource.isInitialized) await this.exclusive(() => this.dataSource.destroy());
    this.lock?.release();
  }

  private held(): Section | undefined {
    const s = sections.getStore();
    return s?.open ? s : undefined;
  }

  private async within<T>(manager: EntityManager, transaction: boolean, fn: () => Promise<T>): Promise<T> {
    const section: Section = { manager, transaction, open: true };
    try {
      return await sections.run(section, fn);
    } finally {
      section.open = false;
    }
  }

  private exclusive<T>(fn: () => Promise<T>, priority = 0): Promise<T> {
    const mutex = this.mutex;
    if (!mutex) return fn();
    return mutex.runExclusive(async () => {
      await this.letIoIn();
      return fn();
    }, priority);
  }

  private lastTurn = 0;

  /**
   * PGlite runs each query synchronously inside a promise chain: back-to-back transactions (an
   * import's batches, queued on the mutex) would otherwise chain microtasks for minutes and starve
   * every timer and socket of the process (the API stops answering, keep-alive connections reset).
   * Every 20 ms of such work the section waits for one turn of the event loop.
   */
  private async letIoIn(): Promise<void> {
    const now = performance.now();
    if (now - this.lastTurn < 20) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastTurn = performance.now();
  }
}

interface PreparingClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{
    command: string;
    rows: unknown[];
    rowCount: number | null;
  }>;
}

/** Prepared statements one connection may hold: SQL built with values in it (a page's OFFSET) would grow them without end. */
const MAX_PREPARED = 500;
const preparedOn = new WeakMap<object, Set<string>>();

/**
 * A query as a named prepared statement, answered in TypeORM's shape (UPDATE/DELETE: [rows, count]);
 * null when the connection holds MAX_PREPARED others already (the caller runs it unprepared).
 */
async function prepared(client: PreparingClient, sql: string, params: unknown[] = []): Promise<unknown> {
  const name = `tl_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
  let names = preparedOn.get(client);
  if (!names) preparedOn.set(client, (names = new Set()));
  if (!names.has(name)) {
    if (names.size >= MAX_PREPARED) return null;
    names.add(name);
  }
  const r = await client.query({ name, text: sql, values: params });
  return r.command === 'UPDATE' || r.command === 'DELETE' ? [r.rows, r.rowCount] : r.rows;
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

/** The SQLSTATE of a PostgreSQL error (TypeORM wraps it in QueryFailedError.driverError), or ''. */
export function sqlState(err: unknown): string {
  const e = err as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = typeof e?.code === 'string' ? e.code : e?.driverError?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : '';
}
