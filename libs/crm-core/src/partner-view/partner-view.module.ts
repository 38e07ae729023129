import { Module } from '@nestjs/common';
import { PartnerViewController } from './partner-view.controller';
import { PartnerViewRepository } from './partner-view.repository';

/** The partner API's reads (/partner/v1): what a partner organisation may see, decided by the database. */
@Module({
  controllers: [PartnerViewController],
  providers: [PartnerViewRepository],
})
export class PartnerViewModule {}
