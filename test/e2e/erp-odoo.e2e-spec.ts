/**
 * Odoo both ways through the CRM (Done-when of "ERP connectors" #1): a first pull loads partners,
 * orders, invoices and pickings; a second pull loads only what changed; a CRM merge is written back
 * (the merged partner archived in Odoo, pointing at the survivor); a CRM update of a partner someone
 * changed in Odoo meanwhile becomes a conflict record, and Odoo keeps its value.
 * Real: PostgreSQL, RabbitMQ, the app (pull, handlers, merge, outbound deliveries). Mocked: Odoo's
 * JSON-RPC API (nock over rows in Odoo's response shape, plugins/erp-odoo/src/__fixtures__).
 */
import { createEnvelope } from '@tradelane/contracts';
import { ConnectorPullService, ConnectorSendService } from '@tradelane/crm-core';
import { INBOUND_EXCHANGE } from '@tradelane/messaging';
import { TestApp, TestDatabase, waitFor } from '@tradelane/testing';
import nock from 'nock';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { fakeOdoo, FakeOdoo } from '../../plugins/erp-odoo/src/client/odoo.fake';
import { ConnectorApp, startConnectorApp } from './support/connector-app';

jest.setTimeout(120_000);

const URL_ = 'http://odoo-e2e.test';
const KEY = 'e2e-odoo-api-key-0123456789';
const INSTANCE = 'erp-odoo:main';
let ctx: ConnectorApp;
let database: TestDatabase;
let app: TestApp;
let odoo: FakeOdoo;

beforeAll(async () => {
  odoo = fakeOdoo(
    URL_,
    JSON.parse(
      fs.readFileSync(
        path.resolve(__dirname, '../../plugins/erp-odoo/src/__fixtures__/odoo17-records.json'),
        'utf8',
      ),
    ),
    KEY,
  );
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  ctx = await startConnectorApp('odoo', { CONNECTOR_TICK_MS: '3600000' });
  ({ database, app } = ctx);
  await ctx.instances.add({
    connector: 'erp-odoo',
    name: 'main',
    config: { url: URL_, database: 'tradelane', login: 'crm@example.com', apiKey: KEY, pageSize: 2 },
  });
});

afterAll(async () => {
  await ctx?.close();
  nock.cleanAll();
});

const pullAll = async (stream: string) => {
  const pull = app.app.get(ConnectorPullService);
  for (let i = 0; i < 20; i++) {
    const outcome = await pull.pullPage(INSTANCE, stream);
    if (!(outcome as { hasMore?: boolean }).hasMore) return;
  }
};
const customerOf = async (externalId: string) =>
  (
    await database.db.sql<{ customer_id: string }>(
      `SELECT customer_id FROM crm_customer_record WHERE source = $1 AND external_id = $2`,
      [INSTANCE, externalId],
    )
  )[0]?.customer_id;

it('pulls everything first, then only what changed', async () => {
  for (const s of ['partners', 'orders', 'invoices', 'pickings']) await pullAll(s);
  await waitFor(
    async () =>
      (await database.db.sql(`SELECT 1 FROM crm_customer_record WHERE source = $1`, [INSTANCE])).length ===
        3 &&
      (
        await database.db.sql(`SELECT 1 FROM crm_order WHERE source = $1 AND external_id = 'S00007'`, [
          INSTANCE,
        ])
      ).length === 1 &&
      (await database.db.sql(`SELECT 1 FROM crm_invoice WHERE source = $1`, [INSTANCE])).length === 1 &&
      (await database.db.sql(`SELECT 1 FROM crm_delivery WHERE source = $1`, [INSTANCE])).length === 1,
    { what: 'partners, the order, the invoice and the picking in the CRM' },
  );
  const reads = () =>
    odoo.calls.filter((c) => c.model === 'res.partner' && c.method === 'search_read').length;
  const before = reads();
  odoo.data['res.partner'].find((r) => r.id === 10)!.city = 'Walnut Creek';
  odoo.data['res.partner'].find((r) => r.id === 10)!.write_date = '2026-11-21 09:00:00';
  await pullAll('partners');
  const last = odoo.calls
    .filter((c) => c.model === 'res.partner' && c.method === 'search_read')
    .slice(before);
  expect(last[0].domain).toContainEqual(['write_date', '>', '2026-11-03 14:30:12']); // from the stored cursor
  await waitFor(
    async () =>
      (
        await database.db.sql<{ city: string }>(`SELECT city FROM crm_customer WHERE id = $1`, [
          await customerOf('10'),
        ])
      )[0]?.city === 'Walnut Creek',
    { what: 'the changed partner' },
  );
});

it('writes a CRM merge back to Odoo, and turns an update of a partner changed in Odoo meanwhile into a conflict', async () => {
  const http = request(app.app.getHttpServer());
  const send = app.app.get(ConnectorSendService);
  // A person merges Deco Addict (10) into Azure Interior (14) in the CRM.
  await http
    .post(`/customers/${await customerOf('14')}/merge`)
    .send({ customerId: await customerOf('10'), actor: 'kam@3pl.example' })
    .expect((r) => {
      if (r.status >= 300) throw new Error(`merge: ${r.status} ${JSON.stringify(r.body)}`);
    });
  await waitFor(
    async () => {
      await send.sendPending();
      return odoo.data['res.partner'].find((r) => r.id === 10)!.active === false;
    },
    { what: 'partner 10 archived in Odoo' },
  );
  expect(odoo.data['res.partner'].find((r) => r.id === 10)!.comment).toBe(
    'Merged into res.partner 14 by Tradelane CRM',
  );
  expect(odoo.data['res.partner'].find((r) => r.id === 14)!.active).toBe(true);

  // Someone edits Gemini (11) in Odoo; before the CRM pulls that, SAP sends the same company (same
  // VAT) with an e-mail: the CRM merges and updates the customer's e-mail, and owes Odoo an update.
  Object.assign(
    odoo.data['res.partner'].find((r) => r.id === 11)!,
    { phone: '(941)-000-0000', write_date: '2026-11-22 15:00:00' },
  );
  await app.bus.publish(
    INBOUND_EXCHANGE,
    createEnvelope({
      type: 'erp.customer.upserted.v1',
      source: 'erp-sap:de',
      key: 'K-GEM',
      payload: {
        externalId: 'K-GEM',
        name: 'Gemini Furniture Inc.',
        vatId: 'US123456789',
        email: 'ap@gemini.example',
      },
    }),
  );
  const conflict = await waitFor(
    async () => {
      await send.sendPending();
      const [row] = await database.db.sql<{ state: string; last_error: string; type: string }>(
        `SELECT state, last_error, type FROM connector_delivery WHERE instance_id = $1 AND state = 'conflict'`,
        [INSTANCE],
      );
      return row;
    },
    { what: 'a conflict record for partner 11' },
  );
  expect(conflict.type).toBe('crm.customer.updated.v1');
  expect(conflict.last_error).toMatch(
    /^conflict: res.partner 11 was changed in Odoo at 2026-11-22T15:00:00.000Z, after the CRM read it \(2026-11-03T14:30:12.000Z\): not overwritten; the CRM would write \{"email":"ap@gemini.example"\}/,
  );
  // Odoo keeps its own change; nothing was written to partner 11.
  expect(odoo.data['res.partner'].find((r) => r.id === 11)).toMatchObject({
    phone: '(941)-000-0000',
    email: false,
  });
  expect(odoo.calls.filter((c) => c.method === 'write').length).toBe(1); // only the merge
});
