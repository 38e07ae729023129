/**
 * The SDK's conformance kit for push/file connectors: a CSV of orders through a mapping, the same
 * file twice, and a file that is not UTF-8 (refused whole, naming the byte). Real: the plugin and a
 * temporary drop folder. Mocked: nothing.
 */
import { describeAcceptConformance } from '@tradelane/connector-sdk/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileImportConnector } from './file-import.connector';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'file-import-conformance-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

const mapping = {
  records: [
    {
      type: 'order.upserted',
      occurredAt: 'ordered',
      fields: { externalId: 'order', customerExternalId: 'customer', orderedAt: 'ordered' },
    },
  ],
};
const CSV = 'order,customer,ordered\nSO-1,C-1,2026-11-02 10:00:00\nSO-2,C-2,2026-11-03 11:30:00\n';

describeAcceptConformance(fileImportConnector, {
  config: () => ({ dropFolder: folder, mapping }),
  badConfig: () => ({ dropFolder: path.join(folder, 'missing'), mapping }),
  channel: 'upload',
  payload: () => Buffer.from(CSV),
  malformed: () => Buffer.from(CSV.replace('C-2', 'C-\u00fc'), 'latin1'), // not UTF-8
  headers: { 'x-received-at': '2026-11-30T08:00:00.000Z', 'x-file-name': 'orders.csv' },
  readmePath: path.join(__dirname, '..', 'README.md'),
});
