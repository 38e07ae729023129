import {
  ConnectorError,
  defineConnector,
  dropFolderAndSignedPush,
  PARTNER_DOCUMENT_EVENTS,
  sftpPickup,
} from '@tradelane/connector-sdk';
import {
  derivedControlNumbers,
  sendPartnerDocuments,
  seriesInterchange,
  ts997,
  ts999,
  writeOutboundFile,
  X12_PARTNER_DOCUMENTS,
  x12ConnectorRuntime,
  x12Documents,
  X12Mapper,
} from '@tradelane/connector-sdk/edi';
import type { OrderFulfilmentRequestedV1 } from '@tradelane/contracts';
import { ts810 } from './mapping/invoices.mapper';
import { ts850, ts855, ts940 } from './mapping/orders.mapper';
import { ts856, ts861, ts945 } from './mapping/shipments.mapper';
import { ts846, ts944, ts947 } from './mapping/stock.mapper';
import { write940 } from './outbound/ts940.writer';
import { WarehouseX12Config } from './warehouse-x12.config';

/** The transaction sets a warehouse or a depositor sends, by ST01. */
export const WAREHOUSE_X12_SETS: Readonly<Record<string, X12Mapper>> = {
  '810': ts810,
  '846': ts846,
  '850': ts850,
  '855': ts855,
  '856': ts856,
  '861': ts861,
  '940': ts940,
  '944': ts944,
  '945': ts945,
  '947': ts947,
  '997': ts997,
  '999': ts999,
};

/**
 * Warehouses' and depositors' X12 (4010 / 5010) from a drop folder or signed HTTP push: 940
 * shipping orders, 850 / 855 orders, 856 ship notices and 945 shipping advice into deliveries, 810
 * invoices; a 997 (or 999) back for every functional group, into outboundFolder.
 */
export const warehouseX12Connector = defineConnector<WarehouseX12Config>({
  id: 'warehouse-x12',
  kind: 'wms',
  version: '0.1.0',
  compatibility: '^1',
  description:
    'Warehouse X12: 940, 850/855, 856, 945 and 810 in; 997/999, 940 and 856/810/846 to partners out',
  configSchema: WarehouseX12Config,
  secrets: ['webhookSecret', 'sftpPassword', 'sftpPrivateKey'],
  folders: ['dropFolder', 'outboundFolder'],
  capabilities: {
    send: ['crm.order.fulfilment-requested.v1', ...PARTNER_DOCUMENT_EVENTS],
    documents: ['214', '856', '810', '846'],
    accept: [
      ...dropFolderAndSignedPush({
        what: 'X12 interchanges (one or more per file)',
        files: 'x12-files',
        push: 'x12',
      }),
      sftpPickup({ what: 'X12 interchanges' }),
    ],
  },
  create(config, context) {
    return {
      ...x12ConnectorRuntime(config, context, WAREHOUSE_X12_SETS),
      /**
       * A fulfilment request becomes a 940 in outboundFolder. Its control numbers come from the
       * host's series for the warehouse, keyed by the event: a retry writes the same file with the
       * same numbers, and no two requests ever share one (across restarts and crashes).
       */
      async send(event, sent) {
        // A shipment, invoice or stock level changed: 856 / 810 / 846 to each partner owed one.
        if (event.type !== 'crm.order.fulfilment-requested.v1')
          return sendPartnerDocuments(
            config,
            context,
            x12Documents(
              { qualifier: config.interchangeQualifier, id: config.interchangeId },
              X12_PARTNER_DOCUMENTS,
            ),
          )(event, sent);
        if (!config.outboundFolder || !config.warehouseId)
          throw new ConnectorError(
            'config',
            'outboundFolder and warehouseId must be set to send shipping orders (940) to the warehouse',
            { field: config.outboundFolder ? 'warehouseId' : 'outboundFolder' },
          );
        const request = event.payload as OrderFulfilmentRequestedV1;
        const { isa, text } = await seriesInterchange(
          context.edi?.controlNumber ?? derivedControlNumbers,
          {
            us: { qualifier: config.interchangeQualifier, id: config.interchangeId },
            to: { qualifier: config.warehouseQualifier, id: config.warehouseId },
            functionalId: 'OW',
            key: event.id,
            at: new Date(event.occurredAt),
          },
          write940(request),
        );
        const file = await writeOutboundFile(
          config.outboundFolder,
          `940_${request.orderExternalId}_${String(isa).padStart(9, '0')}.x12`,
          text,
        );
        context.log('info', `940 for order ${request.orderExternalId} written (ISA13 ${isa})`, { file });
      },
    };
  },
});
