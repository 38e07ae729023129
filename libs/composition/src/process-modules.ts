import { DynamicModule, Type } from '@nestjs/common';
import { ACCESS_SCHEMA, AccessConfig, AccessModule } from '@tradelane/access';
import { CONNECTOR_HOST_SCHEMA, ConnectorHostModule } from '@tradelane/connector-host';
import { ConnectorDefinition } from '@tradelane/connector-sdk';
import { CRM_CORE_SCHEMA, CrmCoreModule, CrmRecordsAdapter } from '@tradelane/crm-core';
import { loggingModule, MessagingConfig, MessagingModule } from '@tradelane/messaging';
import { DatabaseConfig, PERSISTENCE_SCHEMA, PersistenceModule, SchemaParts } from '@tradelane/persistence';
import { INSTALLED_CONNECTORS } from '@tradelane/plugins';

/** Every table of a Tradelane process (messaging infrastructure, CRM domain, connector host), with its migrations. */
export const TRADELANE_SCHEMA: SchemaParts = {
  entities: [
    ...PERSISTENCE_SCHEMA.entities,
    ...CRM_CORE_SCHEMA.entities,
    ...CONNECTOR_HOST_SCHEMA.entities,
    ...ACCESS_SCHEMA.entities,
  ],
  migrations: [
    ...PERSISTENCE_SCHEMA.migrations,
    ...CRM_CORE_SCHEMA.migrations,
    ...CONNECTOR_HOST_SCHEMA.migrations,
    ...ACCESS_SCHEMA.migrations,
  ],
};

export interface ProcessOptions {
  /** HTTP request logging (pino); off for the CLI. */
  httpLogging?: boolean;
  migrateOnBoot?: boolean;
  /** Installed connectors; default: the product's list (plugins/installed.ts). */
  connectors?: readonly ConnectorDefinition[];
  /** Explicit configuration instead of the environment (tests). */
  database?: DatabaseConfig;
  messaging?: MessagingConfig;
  /** Authentication settings instead of the environment's (TRADELANE_AUTH...). */
  auth?: Partial<AccessConfig>;
}

/**
 * The module list every Tradelane process composes (api, worker, CLI) and every test boots
 * (@tradelane/testing): the one composition root, outside the domain. Processes differ by role
 * (serving HTTP, consuming the bus), not by modules.
 */
export function processModules(options: ProcessOptions = {}): (DynamicModule | Type)[] {
  return [
    ...(options.httpLogging === false ? [] : [loggingModule()]),
    PersistenceModule.forRoot({
      schema: TRADELANE_SCHEMA,
      migrateOnBoot: options.migrateOnBoot,
      ...(options.database ? { config: options.database } : {}),
    }),
    MessagingModule.forRoot(options.messaging),
    AccessModule.forRoot(options.auth),
    CrmCoreModule,
    ConnectorHostModule.forRoot({
      connectors: options.connectors ?? INSTALLED_CONNECTORS,
      crm: { module: CrmCoreModule, records: CrmRecordsAdapter },
    }),
  ];
}
