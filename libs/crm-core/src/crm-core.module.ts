import { Module } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { AgreementController } from './agreement/agreement.controller';
import { AgreementService } from './agreement/agreement.service';
import { CaseSlaJob } from './case/case-sla.job';
import { CaseController } from './case/case.controller';
import { CaseService } from './case/case.service';
import { ChurnController } from './churn/churn.controller';
import { ChurnService } from './churn/churn.service';
import { ConnectorBackfillRepository } from './connector/connector-backfill.repository';
import { circuitOptionsFromEnv, ConnectorCircuits } from './connector/connector-circuits';
import { ConnectorDeliveryService } from './connector/connector-delivery.service';
import { ConnectorInstanceController } from './connector/connector-instance.controller';
import { ConnectorInstanceRepository } from './connector/connector-instance.repository';
import { ConnectorInstanceService, SECRET_BOX } from './connector/connector-instance.service';
import { ConnectorMetrics } from './connector/connector-metrics';
import { ConnectorPullJob } from './connector/connector-pull.job';
import { ConnectorPullService } from './connector/connector-pull.service';
import { ConnectorReconcileService } from './connector/connector-reconcile.service';
import { ConnectorSendHandler } from './connector/connector-send.handler';
import { ConnectorSendService } from './connector/connector-send.service';
import { FileDropJob } from './connector/file-drop.job';
import {
  FILE_ROOTS,
  fileRootsFor,
  OUTBOUND_POLICY,
  outboundPolicyFor,
} from './connector/file-roots.provider';
import { secretKeysFor } from './connector/secret-keys';
import { ConnectorImportController, WebhookController } from './connector/webhook.controller';
import { WebhookHandler } from './connector/webhook.handler';
import { WebhookService } from './connector/webhook.service';
import { TransactionRunner } from './context/transaction.runner';
import { CRM_CONFIG, crmConfigFromEnv } from './crm-core.config';
import { CustomerViewRepository } from './customer-view/customer-view.repository';
import { CustomerViewService } from './customer-view/customer-view.service';
import { CustomerGoldenService } from './customer/customer-golden.service';
import { CustomerController } from './customer/customer.controller';
import { CustomerHandler } from './customer/customer.handler';
import { CustomerRepository } from './customer/customer.repository';
import { CustomerService } from './customer/customer.service';
import { DeliveryController } from './delivery/delivery.controller';
import { DeliveryHandler } from './delivery/delivery.handler';
import { DeliveryRepository } from './delivery/delivery.repository';
import { DeliveryService } from './delivery/delivery.service';
import { InteractionHandler } from './interaction/interaction.handler';
import { InteractionRepository } from './interaction/interaction.repository';
import { InteractionService } from './interaction/interaction.service';
import { InventoryHandler, InventoryService } from './inventory/inventory.service';
import { InvoiceHandler } from './invoice/invoice.handler';
import { InvoiceRepository } from './invoice/invoice.repository';
import { InvoiceService } from './invoice/invoice.service';
import { KpiQueryService } from './kpi/kpi-query.service';
import { KpiRecomputeService } from './kpi/kpi-recompute.service';
import { KpiRefreshJob } from './kpi/kpi-refresh.job';
import { KpiController } from './kpi/kpi.controller';
import { KpiService } from './kpi/kpi.service';
import { MergeController } from './merge/merge.controller';
import { MergeRepository } from './merge/merge.repository';
import { MergeService } from './merge/merge.service';
import { OrderHandler } from './order/order.handler';
import { OrderRepository } from './order/order.repository';
import { OrderService } from './order/order.service';
import { PartyRepository } from './party/party.repository';
import { ReferenceSweepJob } from './reference/reference-sweep.job';
import { ReferenceRepository } from './reference/reference.repository';
import { ReferenceService } from './reference/reference.service';
import { SampleDataService } from './sample/sample-data.service';
import { SampleController } from './sample/sample.controller';
import { SatisfactionController } from './satisfaction/satisfaction.controller';
import { SatisfactionService } from './satisfaction/satisfaction.service';
import { SegmentController } from './segment/segment.controller';
import { SegmentJob } from './segment/segment.job';
import { SegmentService } from './segment/segment.service';
import { ServiceCostController, ServiceCostService } from './service-cost/service-cost.service';

/** The CRM domain: HTTP controllers and message handlers are thin adapters over the services. */
@Module({
  controllers: [
    CustomerController,
    MergeController,
    DeliveryController,
    ConnectorInstanceController,
    WebhookController,
    ConnectorImportController,
    SatisfactionController,
    SegmentController,
    ChurnController,
    AgreementController,
    KpiController,
    CaseController,
    InventoryHandler,
    ServiceCostController,
    SampleController,
    WebhookHandler,
    ConnectorSendHandler,
    CustomerHandler,
    OrderHandler,
    DeliveryHandler,
    InvoiceHandler,
    InteractionHandler,
  ],
  providers: [
    { provide: CRM_CONFIG, useFactory: () => crmConfigFromEnv() },
    TransactionRunner,
    { provide: SECRET_BOX, inject: [Database], useFactory: (db: Database) => secretKeysFor(db) },
    { provide: FILE_ROOTS, inject: [Database], useFactory: (db: Database) => fileRootsFor(db) },
    { provide: OUTBOUND_POLICY, inject: [Database], useFactory: (db: Database) => outboundPolicyFor(db) },
    ConnectorInstanceRepository,
    ConnectorBackfillRepository,
    ConnectorInstanceService,
    ConnectorDeliveryService,
    ConnectorPullService,
    ConnectorPullJob,
    FileDropJob,
    ConnectorMetrics,
    ConnectorReconcileService,
    WebhookService,
    SatisfactionService,
    SegmentService,
    SegmentJob,
    ChurnService,
    AgreementService,
    KpiService,
    KpiRecomputeService,
    KpiQueryService,
    KpiRefreshJob,
    CaseService,
    CaseSlaJob,
    InventoryService,
    ServiceCostService,
    ConnectorSendService,
    { provide: ConnectorCircuits, useFactory: () => new ConnectorCircuits(circuitOptionsFromEnv()) },
    CustomerRepository,
    CustomerGoldenService,
    CustomerService,
    CustomerViewRepository,
    CustomerViewService,
    MergeRepository,
    MergeService,
    OrderRepository,
    OrderService,
    PartyRepository,
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
  ],
  exports: [
    CustomerService,
    CustomerViewService,
    MergeService,
    ReferenceService,
    SampleDataService,
    TransactionRunner,
    KpiService,
    CaseService,
  ],
})
export class CrmCoreModule {}
