import { ContractRegistry, SOURCE_CONTEXTS } from './contract.registry';
import {
  CustomerChangedV1,
  CustomerMergedV1,
  CustomerSegmentChangedV1,
  CustomerUnmergedV1,
  CustomerUpsertedV1,
} from './customer.contract';
import { DeliveryStatusChangedV1 } from './delivery.contract';
import { InteractionRecordedV1 } from './interaction.contract';
import { InvoiceUpsertedV1 } from './invoice.contract';
import { OrderUpsertedV1 } from './order.contract';
import { WebhookReceivedV1 } from './webhook.contract';

type Each<C extends string, N extends string, P> = { [K in `${C}.${N}`]: P };
type Source = (typeof SOURCE_CONTEXTS)[number];

/**
 * Typed map from message type to payload class: publish and subscribe are compile-checked
 * against it (`Envelope<ContractMap['erp.order.upserted.v1']>`).
 */
export type ContractMap = Each<Source, 'customer.upserted.v1', CustomerUpsertedV1> &
  Each<Source, 'order.upserted.v1', OrderUpsertedV1> &
  Each<Source, 'delivery.status-changed.v1', DeliveryStatusChangedV1> &
  Each<Source, 'invoice.upserted.v1', InvoiceUpsertedV1> &
  Each<Source, 'interaction.recorded.v1', InteractionRecordedV1> &
  Each<'crm', 'customer.created.v1' | 'customer.updated.v1', CustomerChangedV1> &
  Each<'crm', 'customer.merged.v1', CustomerMergedV1> &
  Each<'crm', 'customer.unmerged.v1', CustomerUnmergedV1> &
  Each<'crm', 'customer.segment-changed.v1', CustomerSegmentChangedV1> &
  Each<'connector', 'webhook.received.v1', WebhookReceivedV1>;
export type MessageType = keyof ContractMap & string;

/** Every contract this version of Tradelane speaks. Add a contract here and to {@link ContractMap}. */
export const CONTRACTS = new ContractRegistry([
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
    name: 'customer.segment-changed',
    version: 1,
    contexts: ['crm'],
    payload: CustomerSegmentChangedV1,
    description: 'A classification moved the customer to another ABC class or lifecycle stage.',
  },
  {
    name: 'webhook.received',
    version: 1,
    contexts: ['connector'],
    payload: WebhookReceivedV1,
    description:
      "A partner's signed push to a connector instance's webhook, kept as received until translated.",
  },
]);
