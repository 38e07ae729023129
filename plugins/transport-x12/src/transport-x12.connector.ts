import { defineConnector, dropFolderAndSignedPush, sftpPickup } from '@tradelane/connector-sdk';
import { ts997, ts999, x12ConnectorRuntime, X12Mapper } from '@tradelane/connector-sdk/edi';
import { ts204 } from './mapping/ts204.mapper';
import { ts210, ts310 } from './mapping/ts210.mapper';
import { ts214 } from './mapping/ts214.mapper';
import { ts990 } from './mapping/ts990.mapper';
import { TransportX12Config } from './transport-x12.config';

/** The transaction sets a carrier or a shipper's TMS sends, by ST01. */
export const TRANSPORT_X12_SETS: Readonly<Record<string, X12Mapper>> = {
  '204': ts204,
  '210': ts210,
  '214': ts214,
  '310': ts310,
  '990': ts990,
  '997': ts997,
  '999': ts999,
};

/**
 * Carriers' X12 (4010 / 5010) from a drop folder or signed HTTP push: 214 shipment status into
 * delivery status, 210 / 310 freight invoices, 204 load tenders as transport orders, 990 tender
 * responses; a 997 (or 999) back for every functional group, into outboundFolder.
 */
export const transportX12Connector = defineConnector<TransportX12Config>({
  id: 'transport-x12',
  kind: 'tms',
  version: '0.1.0',
  compatibility: '^1',
  description:
    'Carrier X12: 214 status, 210/310 freight invoices, 204 tenders, 990 responses in; 997/999 acknowledgements out',
  configSchema: TransportX12Config,
  secrets: ['webhookSecret', 'sftpPassword', 'sftpPrivateKey'],
  folders: ['dropFolder', 'outboundFolder'],
  capabilities: {
    accept: [
      ...dropFolderAndSignedPush({
        what: 'X12 interchanges (one or more per file)',
        files: 'x12-files',
        push: 'x12',
      }),
      sftpPickup({ what: 'X12 interchanges' }),
    ],
  },
  create: (config, context) => x12ConnectorRuntime(config, context, TRANSPORT_X12_SETS),
});
