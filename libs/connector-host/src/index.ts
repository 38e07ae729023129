/**
 * The connector host: the runtime that runs plugins (STYLE.md rules 6–10) beside the CRM, talking
 * to it only through CrmRecordsPort. Plugins never import this; they import @tradelane/connector-sdk.
 */
export * from './config-sealing';
export * from './connector-delivery.service';
export * from './connector-host.module';
export * from './connector-host.schema';
export * from './connector-instance.service';
export * from './connector-pull.job';
export * from './connector-pull.service';
export * from './connector-reconcile.service';
export * from './connector-send.service';
export * from './connector.registry';
export * from './connectors.module';
export * from './crm-records.port';
export * from './file-drop.job';
export * from './file-roots';
export * from './outbound';
export * from './process-user';
export * from './record-id.util';
// The key ring that seals secrets is the access lib's (one per process, shared with signing keys).
export { EMBEDDED_KEY_FILE, SecretBox } from '@tradelane/access';
export * from './edi/trading-partner.dto';
export * from './edi/trading-partner.service';
export * from './sftp.job';
export * from './webhook.controller';
export * from './webhook.service';
