import {
  PARTNER_DOCUMENT_EVENTS,
  defineConnector,
  dropFolderAndSignedPush,
  sftpPickup,
} from '@tradelane/connector-sdk';
import {
  EdifactMapper,
  edifactConnectorRuntime,
  edifactDocuments,
  sendPartnerDocuments,
} from '@tradelane/connector-sdk/edi';
import { aperak, contrl } from './mapping/acks.mapper';
import { ifcsum } from './mapping/consolidation.mapper';
import { desadv, recadv } from './mapping/despatch.mapper';
import { invoic } from './mapping/invoice.mapper';
import { iftmin, orders, ordrsp } from './mapping/orders.mapper';
import { iftsta } from './mapping/status.mapper';
import { invrpt } from './mapping/stock.mapper';
import { EDIFACT_DOCUMENTS } from './outbound/documents.writer';
import { TransportEdifactConfig } from './transport-edifact.config';

/** The messages carriers, warehouses and their customers send, by UNH 0065. */
export const TRANSPORT_EDIFACT_MESSAGES: Readonly<Record<string, EdifactMapper>> = {
  APERAK: aperak,
  CONTRL: contrl,
  DESADV: desadv,
  IFCSUM: ifcsum,
  IFTMIN: iftmin,
  IFTSTA: iftsta,
  INVOIC: invoic,
  INVRPT: invrpt,
  ORDERS: orders,
  ORDRSP: ordrsp,
  RECADV: recadv,
};

/**
 * UN/EDIFACT and EANCOM (syntax 1–4, UNOA/UNOB/UNOC/UNOW…) from a drop folder or a signed push:
 * IFTSTA status, DESADV / RECADV despatch and receipt, IFTMIN instructions, ORDERS / ORDRSP, INVOIC,
 * INVRPT stock; a CONTRL for every interchange and an APERAK for application errors, into
 * outboundFolder; and to trading partners that ask for them IFTSTA, DESADV, INVOIC and INVRPT.
 */
export const transportEdifactConnector = defineConnector<TransportEdifactConfig>({
  id: 'transport-edifact',
  kind: 'tms',
  version: '0.1.0',
  compatibility: '^1',
  description:
    'EDIFACT/EANCOM: IFTSTA, DESADV, RECADV, IFTMIN, ORDERS, ORDRSP, INVOIC, INVRPT in; CONTRL, APERAK and IFTSTA/DESADV/INVOIC/INVRPT to partners out',
  configSchema: TransportEdifactConfig,
  secrets: ['webhookSecret', 'sftpPassword', 'sftpPrivateKey'],
  folders: ['dropFolder', 'outboundFolder'],
  capabilities: {
    send: [...PARTNER_DOCUMENT_EVENTS],
    documents: ['IFTSTA', 'DESADV', 'INVOIC', 'INVRPT'],
    accept: [
      ...dropFolderAndSignedPush({
        what: 'EDIFACT interchanges (one or more per file)',
        files: 'edifact-files',
        push: 'edifact',
      }),
      sftpPickup({ what: 'EDIFACT interchanges' }),
    ],
  },
  create: (config, context) => ({
    ...edifactConnectorRuntime(config, context, TRANSPORT_EDIFACT_MESSAGES),
    /** A shipment, invoice or stock level changed: the documents owed to trading partners. */
    send: sendPartnerDocuments(
      config,
      context,
      edifactDocuments(
        { qualifier: config.interchangeQualifier, id: config.interchangeId },
        EDIFACT_DOCUMENTS,
      ),
    ),
  }),
});
