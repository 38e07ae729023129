import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { PartnerCasesController } from './partner-cases.controller';
import { PartnerFeed } from './partner-feed.service';
import { PartnerViewController } from './partner-view.controller';
import { PartnerViewRepository } from './partner-view.repository';

/**
 * The partner API's reads (/partner/v1): what a partner organisation may see, decided by the
 * database; and the feed that tells partner subscriptions a shared record changed.
 */
@Module({
  imports: [CaseModule],
  controllers: [PartnerViewController, PartnerCasesController],
  providers: [PartnerViewRepository, PartnerFeed],
  exports: [PartnerViewRepository],
})
export class PartnerViewModule {}
