import { Module } from '@nestjs/common';
import { coreModules } from '@tradelane/crm-core';
import { CONNECTORS } from '../../worker/src/connectors';

/** Operators' CLI: talks to the database and the broker directly; never migrates unless asked. */
@Module({ imports: coreModules({ httpLogging: false, migrateOnBoot: false, connectors: CONNECTORS }) })
export class CliModule {}
