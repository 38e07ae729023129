import { ContractDefinition, ContractRegistry, SOURCE_CONTEXTS } from './contract.registry';
import {
  CustomerChangedV1,
  CustomerMergedV1,
  CustomerSegmentChangedV1,
  CustomerUnmergedV1,
  CustomerUpsertedV1,
} from './customer.contract';
import { DeliveryStatusChangedV1 } from './delivery.contract';
import { OrderFulfilmentRequestedV1 } from './fulfilment.contract';
import { InteractionRecordedV1 } from './interaction.contract';
import { InventoryCountedV1 } from './inventory.contract';
import { InvoiceUpsertedV1 } from './invoice.contract';
import { OrderUpsertedV1 } from './order.contract';
import { PersonErasedV1 } from './privacy.contract';
import { CaseOpenedV1, CaseSlaEventV1, KpiTargetMissedV1 } from './service.contract';
import { RecordChangedV1, WebhookFailingV1 } from './sharing.contract';
import { StockLevelChangedV1 } from './stock.contract';
import { WebhookReceivedV1 } from './webhook.contract';

/**
 * Every contract this version of Tradelane speaks: add one here and it is in the registry (runtime
 * validation, JSON Schemas) and in {@link ContractMap} (compile-time types) at once.
 */
const DEFINITIONS = [
  ...(
    [
      ['order.changed', 'An order partners may share was written (outbound, for partner webhooks).'],
      ['shipment.changed', 'A shipment partners may share was written: status, ETA, position (outbound).'],
      ['invoice.changed', 'An invoice partners may share was written: issued, paid, disputed (outbound).'],
      ['invoice.overdue', 'An open invoice passed its due date unpaid; once per due date (outbound).'],
      ['case.updated', 'A case partners may share was opened or changed (outbound).'],
      ['stock.changed', "A customer's stock level moved (outbound, for partner webhooks)."],
    ] as const
  ).map(([name, description]) => ({
    name,
    version: 1,
    contexts: ['crm'] as const,
    payload: RecordChangedV1,
    description,
  })),
  {
    name: 'partner.webhook-failing',
    version: 1,
    contexts: ['crm'],
    payload: WebhookFailingV1,
    description: "A partner's webhook failed its whole retry schedule; for the partner's contact.",
  },
  {
    name: 'customer.upserted',
    version: 1,
    contexts: SOURCE_CONTEXTS,
    payload: CustomerUpsertedV1,
    description: 'A customer (account) was created or changed in a source system.',
  },
  {
    name: 'order.upserted',
    version: 1,
    contexts: SOURCE_CONTEXTS,
    payload: OrderUpsertedV1,
    description: 'A customer order was created or changed in a source system.',
  },
  {
    name: 'delivery.status-changed',
    version: 1,
    contexts: SOURCE_CONTEXTS,
    payload: DeliveryStatusChangedV1,
    description: 'A delivery / shipment reached a status (event time decides; a status never regresses).',
  },
  {
    name: 'invoice.upserted',
    version: 1,
    contexts: SOURCE_CONTEXTS,
    payload: InvoiceUpsertedV1,
    description: 'An invoice was created or changed (amounts, due date, payment, dispute).',
  },
  {
    name: 'interaction.recorded',
    version: 1,
    contexts: SOURCE_CONTEXTS,
    payload: InteractionRecordedV1,
    description: 'An e-mail, portal message, call or note for the customer timeline.',
  },
  {
    name: 'inventory.counted',
    version: 1,
    contexts: SOURCE_CONTEXTS,
    payload: InventoryCountedV1,
    description: "A warehouse counted a customer's stock of one item (inventory accuracy).",
  },
  {
    name: 'stock.level-changed',
    version: 1,
    contexts: SOURCE_CONTEXTS,
    payload: StockLevelChangedV1,
    description:
      "The level of a customer's stock of one SKU/lot at a warehouse in one status (or a change of it).",
  },
  {
    name: 'customer.created',
    version: 1,
    contexts: ['crm'],
    payload: CustomerChangedV1,
    description: 'The CRM created a customer (outbound, for the ERP and partners).',
  },
  {
    name: 'customer.updated',
    version: 1,
    contexts: ['crm'],
    payload: CustomerChangedV1,
    description: 'The CRM changed a customer (outbound, for the ERP and partners).',
  },
  {
    name: 'customer.merged',
    version: 1,
    contexts: ['crm'],
    payload: CustomerMergedV1,
    description: 'Two customers were merged into one (outbound, for the ERP and partners).',
  },
  {
    name: 'customer.unmerged',
    version: 1,
    contexts: ['crm'],
    payload: CustomerUnmergedV1,
    description: 'A merge was undone: the restored customer has its records back.',
  },
  {
    name: 'person.erased',
    version: 1,
    contexts: ['crm'],
    payload: PersonErasedV1,
    description:
      "One person's data was erased on request; sent to the connectors whose records held the person.",
  },
  {
    name: 'order.fulfilment-requested',
    version: 1,
    contexts: ['crm'],
    payload: OrderFulfilmentRequestedV1,
    description:
      "A person asked a warehouse to ship a customer's order; sent to that warehouse's instance only.",
  },
  {
    name: 'customer.segment-changed',
    version: 1,
    contexts: ['crm'],
    payload: CustomerSegmentChangedV1,
    description: 'A classification moved the customer to another ABC class or lifecycle stage.',
  },
  {
    name: 'case.opened',
    version: 1,
    contexts: ['crm'],
    payload: CaseOpenedV1,
    description: 'A complaint or service case was opened (by a person or a shipment exception).',
  },
  {
    name: 'case.sla-at-risk',
    version: 1,
    contexts: ['crm'],
    payload: CaseSlaEventV1,
    description: "A case's SLA clock passed its at-risk point (escalation level 1); once per case and clock.",
  },
  {
    name: 'case.sla-breached',
    version: 1,
    contexts: ['crm'],
    payload: CaseSlaEventV1,
    description: "A case's SLA clock passed its due time (escalation level 2); once per case and clock.",
  },
  {
    name: 'kpi.target-missed',
    version: 1,
    contexts: ['crm'],
    payload: KpiTargetMissedV1,
    description: "A customer's service KPI for a period fell short of its agreement's target.",
  },
  {
    name: 'webhook.received',
    version: 1,
    contexts: ['connector'],
    payload: WebhookReceivedV1,
    description:
      "A partner's signed push to a connector instance's webhook, kept as received until translated.",
  },
] as const satisfies readonly ContractDefinition[];

type Definition = (typeof DEFINITIONS)[number];

/**
 * Typed map from message type to payload class, derived from the definitions: publish and subscribe
 * are compile-checked against it (`Envelope<ContractMap['erp.order.upserted.v1']>`).
 */
export type ContractMap = {
  [D in Definition as `${D['contexts'][number]}.${D['name']}.v${D['version']}`]: InstanceType<D['payload']>;
};
export type MessageType = keyof ContractMap & string;

/** The registry of {@link DEFINITIONS}: what the processor validates against and the schemas are exported from. */
export const CONTRACTS = new ContractRegistry(DEFINITIONS);
