import { DynamicModule, Module, Type } from '@nestjs/common';
import { SECRET_SEAL } from '@tradelane/access';
import { ConnectorDefinition } from '@tradelane/connector-sdk';
import { Database } from '@tradelane/persistence';
import { ConnectorBackfillRepository } from './connector-backfill.repository';
import { circuitOptionsFromEnv, ConnectorCircuits } from './connector-circuits';
import { ConnectorDeliveryService } from './connector-delivery.service';
import { ConnectorInstanceController } from './connector-instance.controller';
import { ConnectorInstanceRepository } from './connector-instance.repository';
import { ConnectorInstanceService, SECRET_BOX } from './connector-instance.service';
import { ConnectorMetrics } from './connector-metrics';
import { ConnectorPullJob } from './connector-pull.job';
import { ConnectorPullService } from './connector-pull.service';
import { ConnectorReconcileService } from './connector-reconcile.service';
import { ConnectorSendHandler } from './connector-send.handler';
import { ConnectorSendService } from './connector-send.service';
import { ConnectorsModule } from './connectors.module';
import { CRM_RECORDS, CrmRecordsPort } from './crm-records.port';
import { PartnerDocumentService } from './edi/partner-documents.service';
import { TradingPartnerController } from './edi/trading-partner.controller';
import { TradingPartnerService } from './edi/trading-partner.service';
import { FileDropJob } from './file-drop.job';
import { FILE_ROOTS, fileRootsFor, OUTBOUND_POLICY, outboundPolicyFor } from './file-roots.provider';
import { FulfilmentController } from './fulfilment.controller';
import { InstanceGuards } from './instance-guards';
import { OutboundPolicies, OutboundPolicyController } from './outbound-policies';
import { PartnerInboundController } from './partner/partner-inbound.controller';
import { PartnerInboundService } from './partner/partner-inbound.service';
import { WebhookDispatcher } from './partner/webhook-dispatcher';
import { WebhookFanoutHandler } from './partner/webhook-fanout.handler';
import { WebhookSubscriptionService } from './partner/webhook-subscription.service';
import { PartnerWebhookController } from './partner/webhook.controller';
import { RecordChecks } from './record-checks.service';
import { SftpJob } from './sftp.job';
import { ConnectorImportController, WebhookController } from './webhook.controller';
import { WebhookHandler } from './webhook.handler';
import { WebhookService } from './webhook.service';

export interface ConnectorHostOptions {
  /** The installed connectors (plugins/installed.ts). */
  connectors: readonly ConnectorDefinition[];
  /** The module that provides the CRM's side of {@link CrmRecordsPort}, and that provider. */
  crm: { module: Type | DynamicModule; records: Type<CrmRecordsPort> };
}

/**
 * The connector host: runs plugins (instances and their secrets, pull scheduling, accept channels,
 * sends, circuits, health, reconciliation). It knows the CRM only through {@link CrmRecordsPort}.
 */
@Module({})
export class ConnectorHostModule {
  static forRoot(options: ConnectorHostOptions): DynamicModule {
    return {
      module: ConnectorHostModule,
      imports: [ConnectorsModule.forRoot([...options.connectors]), options.crm.module],
      controllers: [
        ConnectorInstanceController,
        WebhookController,
        ConnectorImportController,
        WebhookHandler,
        ConnectorSendHandler,
        TradingPartnerController,
        OutboundPolicyController,
        FulfilmentController,
        PartnerInboundController,
        PartnerWebhookController,
        WebhookFanoutHandler,
      ],
      providers: [
        { provide: CRM_RECORDS, useExisting: options.crm.records },
        { provide: SECRET_BOX, useExisting: SECRET_SEAL },
        { provide: FILE_ROOTS, inject: [Database], useFactory: (db: Database) => fileRootsFor(db) },
        { provide: OUTBOUND_POLICY, inject: [Database], useFactory: (db: Database) => outboundPolicyFor(db) },
        ConnectorInstanceRepository,
        PartnerInboundService,
        WebhookSubscriptionService,
        WebhookDispatcher,
        ConnectorBackfillRepository,
        InstanceGuards,
        ConnectorInstanceService,
        ConnectorDeliveryService,
        ConnectorPullService,
        ConnectorPullJob,
        FileDropJob,
        SftpJob,
        ConnectorMetrics,
        ConnectorReconcileService,
        WebhookService,
        RecordChecks,
        ConnectorSendService,
        TradingPartnerService,
        PartnerDocumentService,
        OutboundPolicies,
        { provide: ConnectorCircuits, useFactory: () => new ConnectorCircuits(circuitOptionsFromEnv()) },
      ],
      exports: [
        ConnectorInstanceService,
        ConnectorDeliveryService,
        ConnectorReconcileService,
        WebhookService,
        TradingPartnerService,
      ],
    };
  }
}
