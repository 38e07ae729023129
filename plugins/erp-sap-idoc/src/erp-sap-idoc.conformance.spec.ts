/**
 * The SDK's conformance kit for push/file connectors, run over the captured INVOIC02 sample and a
 * copy with an unknown IDoc type. Real: the plugin and a temporary drop folder. Mocked: nothing.
 */
import { describeAcceptConformance } from '@tradelane/connector-sdk/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { erpSapIdocConnector } from './erp-sap-idoc.connector';

const INVOIC = fs.readFileSync(path.join(__dirname, '__fixtures__', 'blueseer_INVOIC02_flatfile.txt'));
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'idoc-conformance-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describeAcceptConformance(erpSapIdocConnector, {
  config: () => ({ dropFolder: folder, encoding: 'latin1', webhookSecret: 'conformance-secret-0123456789' }),
  badConfig: () => ({ dropFolder: path.join(folder, 'does-not-exist') }),
  channel: 'idoc',
  payload: () => INVOIC,
  malformed: () => Buffer.from(INVOIC.toString('latin1').replace('INVOIC02', 'INVOIC99'), 'latin1'),
  readmePath: path.join(__dirname, '..', 'README.md'),
});
