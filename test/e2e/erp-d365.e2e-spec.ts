/**
 * D365 DMF exports end to end: the captured sales-order export dropped into an instance's folder
 * becomes a canonical order in the CRM, with nothing where D365 wrote 1900-01-01 or an empty element;
 * a broken export is dead-lettered whole naming the entity and element.
 * Real: PostgreSQL, RabbitMQ, the app (file job, handlers, relay). Mocked: nothing.
 */
import { FileDropJob } from '@tradelane/connector-host';
import { TestApp, TestDatabase, waitFor } from '@tradelane/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConnectorApp, startConnectorApp } from './support/connector-app';

jest.setTimeout(120_000);

const SAMPLE = fs.readFileSync(
  path.resolve(
    __dirname,
    '../../plugins/erp-d365/src/__fixtures__/blueseer_D365_DMF_SalesOrderHeaderV2_ex1.xml',
  ),
  'utf8',
);
const INSTANCE = 'erp-d365:contoso';
let ctx: ConnectorApp;
let database: TestDatabase;
let app: TestApp;
let drop: string;

beforeAll(async () => {
  ctx = await startConnectorApp('d365', { CONNECTOR_FILE_POLL_SECONDS: '3600' });
  ({ database, app } = ctx);
  drop = fs.mkdtempSync(path.join(os.tmpdir(), 'd365-drop-'));
  await ctx.instances.add({ connector: 'erp-d365', name: 'contoso', config: { dropFolder: drop } });
});

afterAll(async () => {
  await ctx?.close();
  fs.rmSync(drop, { recursive: true, force: true });
});

it('takes a dropped DMF export into the CRM with nulls for 1900-01-01 and empty elements', async () => {
  const file = path.join(drop, 'SalesOrderHeaderV2_001.xml');
  fs.writeFileSync(file, SAMPLE);
  const mtime = new Date('2026-11-20T08:30:00Z');
  fs.utimesSync(file, mtime, mtime);
  fs.writeFileSync(
    path.join(drop, 'SalesOrderHeaderV2_002.xml'),
    SAMPLE.replace('<ORDEREDSALESQUANTITY>1<', '<ORDEREDSALESQUANTITY>one<'),
  );
  expect(await app.app.get(FileDropJob).runOnce()).toBe(2);

  const order = await waitFor(
    async () =>
      (
        await database.db.sql<Record<string, unknown>>(
          `SELECT external_id, customer_external_id, ordered_at, ordered_at_basis, required_at, shipped_at, currency, lines, parties
             FROM crm_order WHERE source = $1`,
          [INSTANCE],
        )
      )[0],
    { what: 'the order from the export' },
  );
  expect(order).toMatchObject({
    external_id: expect.stringMatching(/^D365-[0-9a-f]{16}$/), // SALESORDERNUMBER was empty
    customer_external_id: 'US-003',
    // No ORDERCREATIONDATETIME: the document's requested date, said so (not when the file was written).
    ordered_at: new Date('2018-11-30T05:00:00Z'),
    ordered_at_basis: 'requested-date',
    required_at: new Date('2018-11-30T05:00:00Z'),
    shipped_at: null,
    currency: null,
    lines: [{ sku: 'D0001', description: 'Mid-Range Speaker', quantity: 1, unitPrice: 0 }],
    parties: [{ role: 'bill-to', customerExternalId: 'US-003', customerSource: INSTANCE }],
  });
  const dead = await waitFor(
    async () =>
      (
        await database.db.sql<{ error_message: string; error_field: string }>(
          `SELECT error_message, error_field FROM dead_letter WHERE source = $1`,
          [INSTANCE],
        )
      )[0],
    { what: 'the broken export dead-lettered' },
  );
  expect(dead.error_field).toBe('SalesOrderHeaderV2Entity[1]/SalesOrderLineEntity[1]/ORDEREDSALESQUANTITY');
  expect(dead.error_message).toMatch(/"one" is not a number/);
});
