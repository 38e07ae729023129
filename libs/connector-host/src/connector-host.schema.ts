import { ConnectorBackfill } from './connector-backfill.entity';
import { ConnectorCursor } from './connector-cursor.entity';
import { ConnectorDelivery } from './connector-delivery.entity';
import { ConnectorInstance, TenantOutboundAllow } from './connector-instance.entity';
import { ConnectorWebhookSeen } from './connector-webhook-seen.entity';
import {
  EdiControlNumber,
  EdiControlSeries,
  EdiDocumentSent,
  EdiInterchangeReceived,
  EdiTradingPartner,
} from './edi/trading-partner.entity';
import { Connectors1700000003000 } from './migrations/1700000003000-connectors';
import { DeliveryOperations1700000008000 } from './migrations/1700000008000-delivery-operations';
import { TradingPartners1700000027000 } from './migrations/1700000027000-trading-partners';
import { PartnerVersions1700000029000 } from './migrations/1700000029000-partner-versions';
import { PartnerSharing1700000031000 } from './migrations/1700000031000-partner-sharing';
import { PartnerDocuments1700000034000 } from './migrations/1700000034000-partner-documents';
import { TenantOutbound1700000035000 } from './migrations/1700000035000-tenant-outbound';
import {
  PartnerIdempotency,
  WebhookAttempt,
  WebhookDelivery,
  WebhookSubscription,
} from './partner/partner-sharing.entity';

/** Tables and reviewed migrations owned by the connector host (instances, cursors, deliveries, backfills). */
export const CONNECTOR_HOST_SCHEMA = {
  entities: [
    ConnectorInstance,
    ConnectorCursor,
    ConnectorDelivery,
    ConnectorBackfill,
    ConnectorWebhookSeen,
    EdiTradingPartner,
    EdiControlSeries,
    EdiControlNumber,
    EdiInterchangeReceived,
    EdiDocumentSent,
    PartnerIdempotency,
    WebhookSubscription,
    WebhookDelivery,
    WebhookAttempt,
    TenantOutboundAllow,
  ],
  migrations: [
    Connectors1700000003000,
    DeliveryOperations1700000008000,
    TradingPartners1700000027000,
    PartnerVersions1700000029000,
    PartnerSharing1700000031000,
    PartnerDocuments1700000034000,
    TenantOutbound1700000035000,
  ],
};
