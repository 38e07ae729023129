import { Module } from '@nestjs/common';
import { AgreementController } from './agreement/agreement.controller';
import { AgreementRepository } from './agreement/agreement.repository';
import { AgreementService } from './agreement/agreement.service';
import { CaseOpeningService } from './case/case-opening.service';
import { CaseQueryService } from './case/case-query.service';
import { CaseSlaJob } from './case/case-sla.job';
import { CaseSlaService } from './case/case-sla.service';
import { CaseWorkflowService } from './case/case-workflow.service';
import { CaseWrites } from './case/case-writes.repository';
import { CaseController } from './case/case.controller';
import { CaseRepository } from './case/case.repository';
import { KnowledgeBaseService } from './case/knowledge-base.service';
import { ChurnController } from './churn/churn.controller';
import { ChurnRepository } from './churn/churn.repository';
import { ChurnService } from './churn/churn.service';
import { RecordsWritten } from './context/records-written';
import { TransactionRunner } from './context/transaction.runner';
import { CRM_CONFIG, crmConfigFromEnv } from './crm-core.config';
import { CustomerViewController } from './customer-view/customer-view.controller';
import { CustomerViewRepository } from './customer-view/customer-view.repository';
import { CustomerViewService } from './customer-view/customer-view.service';
import { CustomerDirectory } from './customer/customer-directory';
import { CustomerGoldenService } from './customer/customer-golden.service';
import { CustomerLookups } from './customer/customer-lookup.repository';
import { CustomerController } from './customer/customer.controller';
import { CustomerHandler } from './customer/customer.handler';
import { CustomerRepository } from './customer/customer.repository';
import { CustomerService } from './customer/customer.service';
import { MergeController } from './customer/merge/merge.controller';
import { MergeRepository } from './customer/merge/merge.repository';
import { MergeService } from './customer/merge/merge.service';
import { SourceRecordsReader } from './customer/source-records.repository';
import { DeliveryController } from './delivery/delivery.controller';
import { DeliveryHandler } from './delivery/delivery.handler';
import { DeliveryRepository } from './delivery/delivery.repository';
import { DeliveryService } from './delivery/delivery.service';
import { InteractionHandler } from './interaction/interaction.handler';
import { InteractionRepository } from './interaction/interaction.repository';
import { InteractionService } from './interaction/interaction.service';
import { InventoryRepository } from './inventory/inventory.repository';
import { InventoryHandler, InventoryService } from './inventory/inventory.service';
import { InvoiceHandler } from './invoice/invoice.handler';
import { InvoiceRepository } from './invoice/invoice.repository';
import { InvoiceService } from './invoice/invoice.service';
import { KpiMarks } from './kpi/kpi-marks.repository';
import { KpiQueryService } from './kpi/kpi-query.service';
import { KpiReadRepository } from './kpi/kpi-read.repository';
import { KpiRecomputeRepository } from './kpi/kpi-recompute.repository';
import { KpiRecomputeService } from './kpi/kpi-recompute.service';
import { KpiRefreshJob } from './kpi/kpi-refresh.job';
import { KpiController } from './kpi/kpi.controller';
import { KpiRepository } from './kpi/kpi.repository';
import { KpiService } from './kpi/kpi.service';
import { OrderHandler } from './order/order.handler';
import { OrderRepository } from './order/order.repository';
import { OrderService } from './order/order.service';
import { PartyLinks } from './party/party-links.service';
import { PartyRepository } from './party/party.repository';
import { ReferenceSweepJob } from './reference/reference-sweep.job';
import { ReferenceRepository } from './reference/reference.repository';
import { ReferenceService } from './reference/reference.service';
import { SampleDataService } from './sample/sample-data.service';
import { SampleController } from './sample/sample.controller';
import { SatisfactionController } from './satisfaction/satisfaction.controller';
import { SatisfactionRepository } from './satisfaction/satisfaction.repository';
import { SatisfactionService } from './satisfaction/satisfaction.service';
import { SegmentController } from './segment/segment.controller';
import { SegmentJob } from './segment/segment.job';
import { SegmentRepository } from './segment/segment.repository';
import { SegmentService } from './segment/segment.service';
import { ServiceCostRepository } from './service-cost/service-cost.repository';
import { ServiceCostController, ServiceCostService } from './service-cost/service-cost.service';

/** The CRM domain: HTTP controllers and message handlers are thin adapters over the services. */
@Module({
  controllers: [
    CustomerController,
    CustomerViewController,
    MergeController,
    DeliveryController,
    SatisfactionController,
    SegmentController,
    ChurnController,
    AgreementController,
    KpiController,
    CaseController,
    InventoryHandler,
    ServiceCostController,
    SampleController,
    CustomerHandler,
    OrderHandler,
    DeliveryHandler,
    InvoiceHandler,
    InteractionHandler,
  ],
  providers: [
    { provide: CRM_CONFIG, useFactory: () => crmConfigFromEnv() },
    TransactionRunner,
    RecordsWritten,
    KpiMarks,
    SatisfactionRepository,
    SatisfactionService,
    SegmentRepository,
    SegmentService,
    SegmentJob,
    ChurnRepository,
    ChurnService,
    AgreementRepository,
    AgreementService,
    KpiRepository,
    KpiReadRepository,
    KpiRecomputeRepository,
    KpiService,
    KpiRecomputeService,
    KpiQueryService,
    KpiRefreshJob,
    CaseRepository,
    CaseOpeningService,
    CaseQueryService,
    CaseSlaService,
    CaseWorkflowService,
    KnowledgeBaseService,
    CaseSlaJob,
    InventoryRepository,
    InventoryService,
    ServiceCostRepository,
    ServiceCostService,
    CustomerRepository,
    CustomerDirectory,
    CustomerLookups,
    CaseWrites,
    CustomerGoldenService,
    CustomerService,
    CustomerViewRepository,
    CustomerViewService,
    MergeRepository,
    MergeService,
    OrderRepository,
    OrderService,
    PartyRepository,
    PartyLinks,
    DeliveryRepository,
    DeliveryService,
    InvoiceRepository,
    InvoiceService,
    InteractionRepository,
    InteractionService,
    ReferenceRepository,
    ReferenceService,
    ReferenceSweepJob,
    SampleDataService,
    SourceRecordsReader,
  ],
  exports: [
    CustomerService,
    CustomerViewService,
    MergeService,
    ReferenceService,
    SampleDataService,
    TransactionRunner,
    KpiService,
    CaseOpeningService,
    CaseQueryService,
    SourceRecordsReader,
  ],
})
export class CrmCoreModule {}
