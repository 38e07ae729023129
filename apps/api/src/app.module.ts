import { Module } from '@nestjs/common';
import { CrmCoreModule, TRADELANE_SCHEMA } from '@tradelane/crm-core';
import { loggingModule, MessagingModule } from '@tradelane/messaging';
import { PersistenceModule } from '@tradelane/persistence';

/** HTTP API, portal and console. Same module list as the worker (which adds nothing but a role). */
@Module({
  imports: [
    loggingModule(),
    PersistenceModule.forRoot({ schema: TRADELANE_SCHEMA }),
    MessagingModule.forRoot(),
    CrmCoreModule,
  ],
})
export class ApiModule {}
