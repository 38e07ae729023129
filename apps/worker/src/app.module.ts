import { Module } from '@nestjs/common';
import { CrmCoreModule, TRADELANE_SCHEMA } from '@tradelane/crm-core';
import { loggingModule, MessagingModule } from '@tradelane/messaging';
import { PersistenceModule } from '@tradelane/persistence';

/** RabbitMQ consumers, outbox relay, dead-letter recorder. Same module list as the API. */
@Module({
  imports: [
    loggingModule(),
    PersistenceModule.forRoot({ schema: TRADELANE_SCHEMA }),
    MessagingModule.forRoot(),
    CrmCoreModule,
  ],
})
export class WorkerModule {}
