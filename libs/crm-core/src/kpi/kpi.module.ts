import { Module } from '@nestjs/common';
import { AgreementModule } from '../agreement/agreement.module';
import { CustomerModule } from '../customer/customer.module';
import { KpiMarks } from './kpi-marks.repository';
import { KpiQueryService } from './kpi-query.service';
import { KpiReadRepository } from './kpi-read.repository';
import { KpiRecomputeRepository } from './kpi-recompute.repository';
import { KpiRecomputeService } from './kpi-recompute.service';
import { KpiRefreshJob } from './kpi-refresh.job';
import { KpiController } from './kpi.controller';
import { KpiRepository } from './kpi.repository';
import { KpiService } from './kpi.service';

/** Service KPIs: facts per record, values per customer and period against the agreed targets, refresh and recompute. */
@Module({
  imports: [AgreementModule, CustomerModule],
  controllers: [KpiController],
  providers: [
    KpiMarks,
    KpiRepository,
    KpiReadRepository,
    KpiRecomputeRepository,
    KpiService,
    KpiRecomputeService,
    KpiQueryService,
    KpiRefreshJob,
  ],
  exports: [KpiService, KpiQueryService],
})
export class KpiModule {}
