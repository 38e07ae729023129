import { Module } from '@nestjs/common';
import { AgreementModule } from '../agreement/agreement.module';
import { CustomerModule } from '../customer/customer.module';
import { CaseOpeningService } from './case-opening.service';
import { CasePrivacy } from './case-privacy.repository';
import { CaseQueryService } from './case-query.service';
import { CaseSlaJob } from './case-sla.job';
import { CaseSlaService } from './case-sla.service';
import { CaseWorkflowService } from './case-workflow.service';
import { CaseWrites } from './case-writes.repository';
import { CaseController } from './case.controller';
import { CaseRepository } from './case.repository';
import { KnowledgeBaseService } from './knowledge-base.service';

/** Complaints and service cases with SLA clocks in business hours, workflow and knowledge base. */
@Module({
  imports: [AgreementModule, CustomerModule],
  controllers: [CaseController],
  providers: [
    CaseRepository,
    CaseWrites,
    CaseOpeningService,
    CaseQueryService,
    CaseSlaService,
    CaseWorkflowService,
    KnowledgeBaseService,
    CaseSlaJob,
    CasePrivacy,
  ],
  exports: [CaseOpeningService, CaseQueryService, CaseWorkflowService],
})
export class CaseModule {}
