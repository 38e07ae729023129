import { PERSISTENCE_SCHEMA, SchemaParts } from '@tradelane/persistence';
import { Customer } from './customer/customer.entity';
import { CrmCore1700000001000 } from './migrations/1700000001000-crm-core';
import { Order } from './order/order.entity';

export const CRM_CORE_SCHEMA = {
  entities: [Customer, Order],
  migrations: [CrmCore1700000001000],
};

/** Every table of the core process (messaging infrastructure + CRM domain), with its migrations. */
export const TRADELANE_SCHEMA: SchemaParts = {
  entities: [...PERSISTENCE_SCHEMA.entities, ...CRM_CORE_SCHEMA.entities],
  migrations: [...PERSISTENCE_SCHEMA.migrations, ...CRM_CORE_SCHEMA.migrations],
};
