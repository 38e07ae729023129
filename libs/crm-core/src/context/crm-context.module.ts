import { Global, Module } from '@nestjs/common';
import { CRM_CONFIG, crmConfigFromEnv } from '../crm-core.config';
import { RecordsWritten } from './records-written';
import { TransactionRunner } from './transaction.runner';

/** The shared kernel of the CRM features (global): configuration, the unit of work for API changes, the records-written hook. */
@Global()
@Module({
  providers: [
    { provide: CRM_CONFIG, useFactory: () => crmConfigFromEnv() },
    TransactionRunner,
    RecordsWritten,
  ],
  exports: [CRM_CONFIG, TransactionRunner, RecordsWritten],
})
export class CrmContextModule {}
