import { Module } from '@nestjs/common';
import { coreModules } from '@tradelane/crm-core';
import { CONNECTORS } from './connectors';

/** RabbitMQ consumers, outbox relay, dead-letter recorder. Same modules as the API. */
@Module({ imports: coreModules({ connectors: CONNECTORS }) })
export class WorkerModule {}
