import { Module } from '@nestjs/common';
import { AgreementModule } from './agreement/agreement.module';
import { CaseModule } from './case/case.module';
import { ChurnModule } from './churn/churn.module';
import { CrmContextModule } from './context/crm-context.module';
import { CrmRecordsAdapter } from './crm-records.adapter';
import { CustomerViewModule } from './customer-view/customer-view.module';
import { CustomerModule } from './customer/customer.module';
import { DeliveryModule } from './delivery/delivery.module';
import { InteractionModule } from './interaction/interaction.module';
import { InventoryModule } from './inventory/inventory.module';
import { InvoiceModule } from './invoice/invoice.module';
import { KpiModule } from './kpi/kpi.module';
import { OrderModule } from './order/order.module';
import { PartnerViewModule } from './partner-view/partner-view.module';
import { PartyModule } from './party/party.module';
import { PrivacyModule } from './privacy/privacy.module';
import { ReferenceModule } from './reference/reference.module';
import { SampleModule } from './sample/sample.module';
import { SatisfactionModule } from './satisfaction/satisfaction.module';
import { SegmentModule } from './segment/segment.module';
import { ServiceCostModule } from './service-cost/service-cost.module';
import { StockModule } from './stock/stock.module';

/** The feature modules, in no particular order: each owns its tables (docs/architecture.md). */
const FEATURES = [
  CrmContextModule,
  CustomerModule,
  CustomerViewModule,
  ReferenceModule,
  PartyModule,
  PartnerViewModule,
  PrivacyModule,
  AgreementModule,
  KpiModule,
  CaseModule,
  OrderModule,
  DeliveryModule,
  InvoiceModule,
  InteractionModule,
  InventoryModule,
  StockModule,
  SegmentModule,
  SatisfactionModule,
  ChurnModule,
  ServiceCostModule,
  SampleModule,
];

/**
 * The CRM domain: one Nest module per feature (its controllers and handlers thin adapters over its
 * services), importing only the features it depends on (no cycle: scripts/check-crm-features.mjs).
 * The process composes this module; it re-exports the features the connector host and the apps use.
 */
@Module({
  imports: FEATURES,
  providers: [CrmRecordsAdapter],
  exports: [
    CrmRecordsAdapter,
    CrmContextModule,
    CustomerModule,
    CustomerViewModule,
    ReferenceModule,
    KpiModule,
    CaseModule,
    SampleModule,
  ],
})
export class CrmCoreModule {}
