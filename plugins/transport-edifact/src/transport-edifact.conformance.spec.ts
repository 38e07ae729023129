/**
 * The SDK's conformance kit for push/file connectors, over a captured IFTSTA and a file that is not
 * an interchange. Real: the plugin and a temporary drop folder. Mocked: nothing.
 */
import { describeAcceptConformance } from '@tradelane/connector-sdk/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transportEdifactConnector } from './transport-edifact.connector';

const STATUS = fs.readFileSync(
  path.join(__dirname, '__fixtures__', 'apimeister_IFTSTA_D00B_rail_container_status.edi'),
);
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'edifact-conformance-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

describeAcceptConformance(transportEdifactConnector, {
  config: () => ({
    dropFolder: folder,
    outboundFolder: folder,
    webhookSecret: 'conformance-secret-0123456789',
    partners: [
      {
        name: 'Ocean carrier',
        qualifier: 'ZZZ',
        id: 'SENDER',
        customerExternalId: 'SHIPPER-1',
        acknowledgement: 'CONTRL',
      },
    ],
  }),
  badConfig: () => ({ dropFolder: path.join(folder, 'does-not-exist') }),
  channel: 'edifact',
  payload: () => STATUS,
  malformed: () => Buffer.from(STATUS.toString('utf8').replace('UNB+', 'XYZ+')),
  headers: { 'x-file-name': 'status.edi', 'x-received-at': '2026-12-01T10:00:00.000Z' },
  readmePath: path.join(__dirname, '..', 'README.md'),
});
