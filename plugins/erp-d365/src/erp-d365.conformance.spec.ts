/**
 * The SDK's conformance kit for push/file connectors over the captured D365 DMF sample and a copy
 * whose line quantity is not a number. Real: the plugin and a temporary drop folder. Mocked: nothing.
 */
import { describeAcceptConformance } from '@tradelane/connector-sdk/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { erpD365Connector } from './erp-d365.connector';

const SAMPLE = fs.readFileSync(
  path.join(__dirname, '__fixtures__', 'blueseer_D365_DMF_SalesOrderHeaderV2_ex1.xml'),
);
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'd365-conformance-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describeAcceptConformance(erpD365Connector, {
  config: () => ({ dropFolder: folder, webhookSecret: 'conformance-secret-0123456789' }),
  badConfig: () => ({ dropFolder: path.join(folder, 'missing') }),
  channel: 'dmf',
  payload: () => SAMPLE,
  malformed: () =>
    Buffer.from(SAMPLE.toString('utf8').replace('<ORDEREDSALESQUANTITY>1<', '<ORDEREDSALESQUANTITY>one<')),
  headers: { 'x-received-at': '2026-11-23T10:00:00.000Z', 'x-file-name': 'SalesOrders.xml' },
  readmePath: path.join(__dirname, '..', 'README.md'),
});
