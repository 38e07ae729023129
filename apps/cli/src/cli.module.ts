import { Module } from '@nestjs/common';
import { coreModules } from '@tradelane/crm-core';
import { INSTALLED_CONNECTORS } from '@tradelane/plugins';

/** Operators' CLI: talks to the database and the broker directly; never migrates unless asked. */
@Module({
  imports: coreModules({ httpLogging: false, migrateOnBoot: false, connectors: [...INSTALLED_CONNECTORS] }),
})
export class CliModule {}
