import { Module } from '@nestjs/common';
import { coreModules } from '@tradelane/crm-core';
import { INSTALLED_CONNECTORS } from '@tradelane/plugins';

/** The HTTP API (and, on the embedded default, the worker too). Same modules as the worker: the role is set in main.ts. */
@Module({ imports: coreModules({ connectors: [...INSTALLED_CONNECTORS] }) })
export class ApiModule {}
