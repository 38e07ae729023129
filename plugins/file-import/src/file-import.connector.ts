import { checkDropFolder, ConnectorError, defineConnector } from '@tradelane/connector-sdk';
import { FileImportConfig } from './file-import.config';
import { IMPORT_TYPES } from './mapping/import-mapping';
import { RowMapper } from './mapping/row-mapper';
import { decode, FileReadError, formatOf, readRows } from './mapping/table-reader';

/**
 * A team's first data as files: CSV, NDJSON or JSON exports, mapped column by column to the
 * canonical contracts by the instance's mapping, from a drop folder, the API or the CLI
 * (`npm run cli -- import <instance> <file> [--dry-run]`). Rows that cannot be mapped are dead-
 * lettered one by one with file, row and column; the rest of the file goes on.
 */
export const fileImportConnector = defineConnector<FileImportConfig>({
  id: 'file-import',
  // Its records publish as erp.* (an export of another system); rank it with CRM_SOURCE_PRIORITY by instance.
  kind: 'erp',
  version: '0.1.0',
  compatibility: '^1',
  description:
    'CSV / NDJSON / JSON files mapped to customers, orders, deliveries, invoices, interactions, stock counts',
  configSchema: FileImportConfig,
  secrets: [],
  capabilities: {
    accept: [
      {
        name: 'files',
        via: 'file',
        folderField: 'dropFolder',
        description: 'Files written into dropFolder (.csv, .ndjson/.jsonl, .json)',
      },
      {
        name: 'upload',
        via: 'webhook',
        description:
          'A file sent as the body of POST /connector-instances/<instance>/import (x-file-name names it; ?dryRun=true only reports)',
      },
    ],
  },
  create(config, context) {
    return {
      check: () => checkDropFolder(config.dropFolder),
      async discover() {
        return {
          streams: [],
          details: { records: config.mapping.records.map((r) => r.type), types: IMPORT_TYPES },
        };
      },
      async accept(_channel, body, headers) {
        const fileName = headers['x-file-name'] || 'upload';
        const receivedAt = headers['x-received-at'];
        if (!receivedAt || Number.isNaN(Date.parse(receivedAt)))
          throw new ConnectorError('permanent', 'the file has no x-received-at time', {
            field: 'x-received-at',
          });
        try {
          const rows = readRows(
            decode(body, config.mapping.encoding),
            config.mapping,
            formatOf(config.mapping, fileName),
          );
          return new RowMapper(config.mapping, {
            instance: context.instance,
            fileName,
            receivedAt: new Date(receivedAt).toISOString(),
          }).map(rows).records;
        } catch (e) {
          if (e instanceof FileReadError)
            throw new ConnectorError('permanent', `${fileName}: ${e.message}`, {
              field: `${fileName} ${e.where}`,
            });
          throw e;
        }
      },
    };
  },
});
