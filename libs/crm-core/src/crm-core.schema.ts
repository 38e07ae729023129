import { ServiceAgreement } from './agreement/service-agreement.entity';
import { Case, CaseAttachment, CaseMessage, CaseParty, CaseSlaEvent, KbArticle } from './case/case.entity';
import { CustomerIdentifier } from './customer/customer-identifier.entity';
import { CustomerRecord } from './customer/customer-record.entity';
import { Customer } from './customer/customer.entity';
import { CustomerMerge } from './customer/merge/customer-merge.entity';
import { MergeProposal } from './customer/merge/merge-proposal.entity';
import { DeliveryEvent } from './delivery/delivery-event.entity';
import { Delivery } from './delivery/delivery.entity';
import { Interaction } from './interaction/interaction.entity';
import { InventoryCount } from './inventory/inventory-count.entity';
import { Invoice } from './invoice/invoice.entity';
import { KpiDirty, KpiFact, KpiRecompute, KpiValue } from './kpi/kpi.entity';
import { CrmCore1700000001000 } from './migrations/1700000001000-crm-core';
import { CustomerView1700000002000 } from './migrations/1700000002000-customer-view';
import { Satisfaction1700000004000 } from './migrations/1700000004000-satisfaction';
import { Segments1700000005000 } from './migrations/1700000005000-segments';
import { ServiceLevels1700000006000 } from './migrations/1700000006000-service-levels';
import { CustomerValue1700000007000 } from './migrations/1700000007000-customer-value';
import { KpiRecompute1700000010000 } from './migrations/1700000010000-kpi-recompute';
import { OrderDateBasis1700000011000 } from './migrations/1700000011000-order-date-basis';
import { PartnerScope1700000026000 } from './migrations/1700000026000-partner-scope';
import { Stock1700000028000 } from './migrations/1700000028000-stock';
import { PartnerFeed1700000030000 } from './migrations/1700000030000-partner-feed';
import { FeedHorizon1700000032000 } from './migrations/1700000032000-feed-horizon';
import { InvoiceOverdue1700000033000 } from './migrations/1700000033000-invoice-overdue';
import { CaseAttachments1700000036000 } from './migrations/1700000036000-case-attachments';
import { Order } from './order/order.entity';
import { PartyLink } from './party/party-link.entity';
import { PendingReference } from './reference/pending-reference.entity';
import { SatisfactionResponse } from './satisfaction/satisfaction-response.entity';
import { SatisfactionWeightsRow } from './satisfaction/satisfaction-weights.entity';
import { CustomerCost, CustomerSegment } from './segment/customer-segment.entity';
import { StockLevel, StockMovement } from './stock/stock.entity';

/** Tables and reviewed migrations owned by the CRM domain. */
export const CRM_CORE_SCHEMA = {
  entities: [
    Customer,
    CustomerRecord,
    CustomerIdentifier,
    CustomerMerge,
    MergeProposal,
    Order,
    PartyLink,
    Delivery,
    DeliveryEvent,
    Invoice,
    Interaction,
    PendingReference,
    SatisfactionResponse,
    SatisfactionWeightsRow,
    CustomerSegment,
    CustomerCost,
    ServiceAgreement,
    Case,
    CaseParty,
    CaseMessage,
    CaseAttachment,
    CaseSlaEvent,
    KbArticle,
    KpiFact,
    KpiValue,
    KpiDirty,
    KpiRecompute,
    InventoryCount,
    StockLevel,
    StockMovement,
  ],
  migrations: [
    CrmCore1700000001000,
    CustomerView1700000002000,
    Satisfaction1700000004000,
    Segments1700000005000,
    ServiceLevels1700000006000,
    CustomerValue1700000007000,
    KpiRecompute1700000010000,
    OrderDateBasis1700000011000,
    PartnerScope1700000026000,
    Stock1700000028000,
    PartnerFeed1700000030000,
    FeedHorizon1700000032000,
    InvoiceOverdue1700000033000,
    CaseAttachments1700000036000,
  ],
};
