import { ContractRegistry, SOURCE_CONTEXTS } from './contract.registry';
import { CustomerChangedV1, CustomerUpsertedV1 } from './customer.contract';
import { OrderUpsertedV1 } from './order.contract';

type Each<C extends string, N extends string, P> = { [K in `${C}.${N}`]: P };
type Source = (typeof SOURCE_CONTEXTS)[number];

/**
 * Typed map from message type to payload class: publish and subscribe are compile-checked
 * against it (`Envelope<ContractMap['erp.order.upserted.v1']>`).
 */
export type ContractMap = Each<Source, 'customer.upserted.v1', CustomerUpsertedV1> &
  Each<Source, 'order.upserted.v1', OrderUpsertedV1> &
  Each<'crm', 'customer.created.v1' | 'customer.updated.v1', CustomerChangedV1>;
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
]);
