import { Module } from '@nestjs/common';
import { processModules } from '@tradelane/composition';
import { databaseConfigFromEnv } from '@tradelane/persistence';

/**
 * Operators' CLI: talks to the database and the broker directly. On PostgreSQL it never migrates
 * unless asked (`migrate`: the apps own the schema); on the embedded default it is the only process
 * on the data folder (lock file), so it migrates like the app would: a fresh clone's first command works.
 */
@Module({
  imports: processModules({
    httpLogging: false,
    migrateOnBoot: databaseConfigFromEnv().kind === 'pglite',
  }),
})
export class CliModule {}
