import { Module } from '@nestjs/common';
import { CUSTOMER_CHECK, CustomerCheck } from '@tradelane/access';
import { CustomerDirectory } from './customer-directory';
import { CustomerGoldenService } from './customer-golden.service';
import { CustomerLookups } from './customer-lookup.repository';
import { CustomerPrivacy } from './customer-privacy.repository';
import { CustomerController } from './customer.controller';
import { CustomerHandler } from './customer.handler';
import { CustomerRepository } from './customer.repository';
import { CustomerService } from './customer.service';
import { MergeController } from './merge/merge.controller';
import { MergeRepository } from './merge/merge.repository';
import { MergeService } from './merge/merge.service';
import { SourceRecordsReader } from './source-records.repository';

/** The unified customer: source records, identifiers, survivorship, merge and unmerge; other features ask CustomerDirectory. */
@Module({
  controllers: [CustomerController, MergeController, CustomerHandler],
  providers: [
    CustomerRepository,
    CustomerLookups,
    CustomerDirectory,
    CustomerGoldenService,
    CustomerService,
    MergeRepository,
    MergeService,
    SourceRecordsReader,
    CustomerPrivacy,
    // Access (below the CRM) checks the customers a partner organisation is linked to through this.
    {
      provide: CUSTOMER_CHECK,
      inject: [CustomerDirectory],
      useFactory: (d: CustomerDirectory): CustomerCheck => ({ missing: (t, ids) => d.missing(t, ids) }),
    },
  ],
  exports: [CustomerDirectory, CustomerService, MergeService, SourceRecordsReader],
})
export class CustomerModule {}
