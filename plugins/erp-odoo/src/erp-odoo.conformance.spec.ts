/**
 * The SDK's conformance kit for pull connectors over the Odoo fake (Odoo 17's JSON-RPC answers from
 * __fixtures__/odoo17-records.json, via nock). Real: the plugin. Mocked: Odoo's HTTP API.
 */
import { describeConformance } from '@tradelane/connector-sdk/testing';
import nock from 'nock';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { erpOdooConnector } from './erp-odoo.connector';
import { fakeOdoo, FakeOdoo } from './testing/odoo.fake';

const RECORDS = JSON.parse(
  fs.readFileSync(path.join(__dirname, '__fixtures__', 'odoo17-records.json'), 'utf8'),
) as FakeOdoo['data'];
const KEY = 'f6a1d0c8e1b24f3c9a7d5e2b8c4f1a09';

afterAll(() => nock.cleanAll());

describe('conformance', () => {
  const URL_ = 'http://odoo-kit.test';
  const odoo = fakeOdoo(URL_, JSON.parse(JSON.stringify(RECORDS)) as FakeOdoo['data'], KEY);
  describeConformance(erpOdooConnector, {
    config: () => ({ url: URL_, database: 'tradelane', login: 'crm@example.com', apiKey: KEY, pageSize: 2 }),
    badCredentials: () => ({
      url: URL_,
      database: 'tradelane',
      login: 'crm@example.com',
      apiKey: 'not-the-key-0000',
    }),
    stream: 'partners',
    async injectMalformed() {
      const row = odoo.data['res.partner'].find((r) => r.id === 11)!;
      const name = row.name;
      row.name = false;
      return async () => {
        row.name = name;
      };
    },
    readmePath: path.join(__dirname, '..', 'README.md'),
  });
});
