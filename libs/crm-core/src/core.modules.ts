import { DynamicModule, Type } from '@nestjs/common';
import { ConnectorDefinition, ConnectorsModule } from '@tradelane/connector-sdk';
import { loggingModule, MessagingModule } from '@tradelane/messaging';
import { PersistenceModule } from '@tradelane/persistence';
import { CrmCoreModule } from './crm-core.module';
import { TRADELANE_SCHEMA } from './crm-core.schema';

/**
 * The module list every Tradelane process composes (api, worker; the CLI without HTTP logging and
 * boot-time migrations). Processes differ by role (serving HTTP, consuming the bus), not by modules.
 */
export function coreModules(
  options: { httpLogging?: boolean; migrateOnBoot?: boolean; connectors?: ConnectorDefinition[] } = {},
): (DynamicModule | Type)[] {
  return [
    ConnectorsModule.forRoot(options.connectors ?? []),
    ...(options.httpLogging === false ? [] : [loggingModule()]),
    PersistenceModule.forRoot({ schema: TRADELANE_SCHEMA, migrateOnBoot: options.migrateOnBoot }),
    MessagingModule.forRoot(),
    CrmCoreModule,
  ];
}
