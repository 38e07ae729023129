import { ConnectorBackfill } from './connector-backfill.entity';
import { ConnectorCursor } from './connector-cursor.entity';
import { ConnectorDelivery } from './connector-delivery.entity';
import { ConnectorInstance } from './connector-instance.entity';
import { ConnectorWebhookSeen } from './connector-webhook-seen.entity';
import { Connectors1700000003000 } from './migrations/1700000003000-connectors';
import { DeliveryOperations1700000008000 } from './migrations/1700000008000-delivery-operations';

/** Tables and reviewed migrations owned by the connector host (instances, cursors, deliveries, backfills). */
export const CONNECTOR_HOST_SCHEMA = {
  entities: [ConnectorInstance, ConnectorCursor, ConnectorDelivery, ConnectorBackfill, ConnectorWebhookSeen],
  migrations: [Connectors1700000003000, DeliveryOperations1700000008000],
};
