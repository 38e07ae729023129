import { Module } from '@nestjs/common';
import { coreModules } from '@tradelane/crm-core';
import { INSTALLED_CONNECTORS } from '@tradelane/plugins';

/** RabbitMQ consumers, outbox relay, dead-letter recorder. Same modules as the API. */
@Module({ imports: coreModules({ connectors: [...INSTALLED_CONNECTORS] }) })
export class WorkerModule {}
