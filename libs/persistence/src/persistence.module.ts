import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { createDataSource, Database, SchemaParts } from './database';
import { DatabaseConfig, databaseConfigFromEnv } from './database.config';
import { DeadLetterRepository } from './dead-letter/dead-letter.repository';
import { InboxRepository } from './inbox/inbox.repository';
import { LedgerRepository } from './ledger/ledger.repository';
import { OutboxRepository } from './outbox/outbox.repository';

export const DATABASE_CONFIG = Symbol('DATABASE_CONFIG');

export interface PersistenceModuleOptions {
  schema: SchemaParts;
  /** Run pending migrations at boot (default: `DATABASE_MIGRATE_ON_BOOT`, true unless "false"). */
  migrateOnBoot?: boolean;
  config?: DatabaseConfig;
}

@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}

  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    const logger = new Logger('Persistence');
    return {
      module: PersistenceModule,
      providers: [
        { provide: DATABASE_CONFIG, useFactory: () => options.config ?? databaseConfigFromEnv() },
        {
          provide: Database,
          inject: [DATABASE_CONFIG],
          useFactory: async (config: DatabaseConfig) => {
            const db = new Database(createDataSource(config, options.schema), config);
            await db.connect();
            logger.log(`database: ${db.describe()}`);
            for (const w of await db.roleWarnings()) logger.warn(w);
            const migrate = options.migrateOnBoot ?? process.env.DATABASE_MIGRATE_ON_BOOT !== 'false';
            if (migrate) {
              const ran = await db.migrate();
              if (ran.length) logger.log(`migrations applied: ${ran.join(', ')}`);
            }
            db.startUpkeep();
            return db;
          },
        },
        { provide: InboxRepository, useFactory: () => new InboxRepository() },
        {
          provide: LedgerRepository,
          inject: [Database],
          useFactory: (db: Database) => new LedgerRepository(db),
        },
        {
          provide: OutboxRepository,
          inject: [Database],
          useFactory: (db: Database) => new OutboxRepository(db),
        },
        {
          provide: DeadLetterRepository,
          inject: [Database],
          useFactory: (db: Database) => new DeadLetterRepository(db),
        },
      ],
      exports: [
        DATABASE_CONFIG,
        Database,
        InboxRepository,
        LedgerRepository,
        OutboxRepository,
        DeadLetterRepository,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
