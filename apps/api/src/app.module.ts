import { Module } from '@nestjs/common';
import { coreModules } from '@tradelane/crm-core';

/** HTTP API, portal and console. Same modules as the worker: the role is set in main.ts. */
@Module({ imports: coreModules() })
export class ApiModule {}
