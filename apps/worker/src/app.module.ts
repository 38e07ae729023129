import { Module } from '@nestjs/common';
import { coreModules } from '@tradelane/crm-core';

/** RabbitMQ consumers, outbox relay, dead-letter recorder. Same modules as the API. */
@Module({ imports: coreModules() })
export class WorkerModule {}
