import { defineConnector, dropFolderAndSignedPush } from '@tradelane/connector-sdk';
import { ts997, ts999, x12ConnectorRuntime, X12Mapper } from '@tradelane/connector-sdk/edi';
import { ts810 } from './mapping/invoices.mapper';
import { ts850, ts855, ts940 } from './mapping/orders.mapper';
import { ts856, ts945 } from './mapping/shipments.mapper';
import { WarehouseX12Config } from './warehouse-x12.config';

/** The transaction sets a warehouse or a depositor sends, by ST01. */
export const WAREHOUSE_X12_SETS: Readonly<Record<string, X12Mapper>> = {
  '810': ts810,
  '850': ts850,
  '855': ts855,
  '856': ts856,
  '940': ts940,
  '945': ts945,
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
  description: 'Warehouse X12: 940, 850/855, 856, 945 and 810 in; 997/999 acknowledgements out',
  configSchema: WarehouseX12Config,
  secrets: ['webhookSecret'],
  folders: ['dropFolder', 'outboundFolder'],
  capabilities: {
    accept: dropFolderAndSignedPush({
      what: 'X12 interchanges (one or more per file)',
      files: 'x12-files',
      push: 'x12',
    }),
  },
  create: (config, context) => x12ConnectorRuntime(config, context, WAREHOUSE_X12_SETS),
});
