/**
 * The SDK's conformance kit for push/file connectors, over a captured 940 and a file that is not an
 * interchange. Real: the plugin and a temporary drop folder. Mocked: nothing.
 */
import { describeAcceptConformance } from '@tradelane/connector-sdk/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { warehouseX12Connector } from './warehouse-x12.connector';

const STATUS = fs.readFileSync(path.join(__dirname, '__fixtures__', 'ediengine_940_warehouse_order_2.edi'));
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'x12-conformance-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describeAcceptConformance(warehouseX12Connector, {
  config: () => ({
    dropFolder: folder,
    outboundFolder: folder,
    webhookSecret: 'conformance-secret-0123456789',
    partners: [{ name: 'Vendor', qualifier: 'ZZ', id: 'VENDOR', customerExternalId: 'VENDOR-1' }],
  }),
  badConfig: () => ({ dropFolder: path.join(folder, 'does-not-exist') }),
  channel: 'x12',
  payload: () => STATUS,
  malformed: () => Buffer.from(STATUS.toString('utf8').replace('ISA*00', 'ISB*00')),
  headers: { 'x-file-name': 'order.edi' },
  readmePath: path.join(__dirname, '..', 'README.md'),
});
