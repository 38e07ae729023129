import { Module } from '@nestjs/common';
import { processModules } from '@tradelane/composition';

/** RabbitMQ consumers, outbox relay, dead-letter recorder. Same modules as the API. */
@Module({ imports: processModules() })
export class WorkerModule {}
