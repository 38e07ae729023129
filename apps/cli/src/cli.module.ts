import { Module } from '@nestjs/common';
import { CrmCoreModule, TRADELANE_SCHEMA } from '@tradelane/crm-core';
import { MessagingModule } from '@tradelane/messaging';
import { PersistenceModule } from '@tradelane/persistence';

/** Operators' CLI: talks to the database and the broker directly; never migrates unless asked. */
@Module({
  imports: [
    PersistenceModule.forRoot({ schema: TRADELANE_SCHEMA, migrateOnBoot: false }),
    MessagingModule.forRoot(),
    CrmCoreModule,
  ],
})
export class CliModule {}
