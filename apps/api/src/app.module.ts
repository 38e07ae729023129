import { Module } from '@nestjs/common';
import { coreModules } from '@tradelane/crm-core';
import { CONNECTORS } from '../../worker/src/connectors';

/** HTTP API, portal and console. Same modules as the worker: the role is set in main.ts. */
@Module({ imports: coreModules({ connectors: CONNECTORS }) })
export class ApiModule {}
