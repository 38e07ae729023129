import { Global, Module } from '@nestjs/common';
import { CRM_CONFIG, crmConfigFromEnv } from '../crm-core.config';
import { PersonalData } from './personal-data';
import { RecordsWritten } from './records-written';
import { TransactionRunner } from './transaction.runner';

/** The shared kernel of the CRM features (global): configuration, the unit of work for API changes, the records-written hook, the holders of personal data. */
@Global()
@Module({
  providers: [
    { provide: CRM_CONFIG, useFactory: () => crmConfigFromEnv() },
    TransactionRunner,
    RecordsWritten,
    PersonalData,
  ],
  exports: [CRM_CONFIG, TransactionRunner, RecordsWritten, PersonalData],
})
export class CrmContextModule {}
