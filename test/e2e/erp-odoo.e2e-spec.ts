/**
 * Odoo both ways through the CRM (Done-when of "ERP connectors" #1): a first pull loads partners,
 * orders, invoices and pickings; a second pull loads only what changed; a CRM merge is written back
 * (the merged partner archived in Odoo, pointing at the survivor); a CRM update of a partner someone
 * changed in Odoo meanwhile becomes a conflict record, and Odoo keeps its value.
 * Real: PostgreSQL, RabbitMQ, the app (pull, handlers, merge, outbound deliveries). Mocked: Odoo's
 * JSON-RPC API (nock over rows in Odoo's response shape, plugins/erp-odoo/src/__fixtures__).
 */
import { ConnectorPullService, ConnectorSendService } from '@tradelane/connector-host';
import { createEnvelope } from '@tradelane/contracts';
import { fakeOdoo, FakeOdoo } from '@tradelane/erp-odoo/testing';
import { INBOUND_EXCHANGE } from '@tradelane/messaging';
import { freePort, runCli, TestApp, TestDatabase, waitFor } from '@tradelane/testing';
import nock from 'nock';
import * as fs from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
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
    // Pulls are the test's to make: a background pull picking up an edit made in Odoo mid-test
    // would take away the conflict the test provokes (it did, on slow runs).
    pollSeconds: 3600,
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

/** SAP sends Gemini (same VAT as Odoo partner 11) with a change: the CRM owes Odoo an update. */
const sapUpdate = (change: Record<string, string>, occurredAt: string) =>
  app.bus.publish(
    INBOUND_EXCHANGE,
    createEnvelope({
      type: 'erp.customer.upserted.v1',
      source: 'erp-sap:de',
      key: 'K-GEM',
      occurredAt,
      payload: { externalId: 'K-GEM', name: 'Gemini Furniture Inc.', vatId: 'US123456789', ...change },
    }),
  );

/** The compiled CLI against this test's API (it listens on a port for it): nock answers for Odoo here. */
async function cliViaApi(...args: string[]) {
  return runCli({ HOME: process.env.HOME ?? '/tmp' }, '--api', apiBase, ...args);
}
let apiBase: string;

it('lists, resolves and re-sends outbound deliveries through the API and the CLI, with counts in status and /metrics', async () => {
  const http = request(app.app.getHttpServer());
  const port = await freePort();
  await app.app.listen(port, '127.0.0.1');
  apiBase = `http://127.0.0.1:${port}`;
  const send = app.app.get(ConnectorSendService);

  // The conflict of the test above is listed and counted.
  const listed = await http
    .get(`/connector-instances/${INSTANCE}/deliveries`)
    .query({ state: 'conflict' })
    .expect(200);
  expect(listed.body.total).toBe(1);
  const [conflict] = listed.body.items;
  expect(conflict).toMatchObject({
    type: 'crm.customer.updated.v1',
    state: 'conflict',
    customerId: await customerOf('11'),
  });
  expect((await http.get(`/connector-instances/${INSTANCE}`).expect(200)).body.deliveries).toMatchObject({
    conflict: 1,
  });
  const metrics = (await http.get('/metrics').expect(200)).text;
  expect(metrics).toContain(`tradelane_connector_deliveries{instance="${INSTANCE}",state="conflict"} 1`);
  const cliList = await cliViaApi('connectors', 'deliveries', INSTANCE, '--state', 'conflict');
  expect(cliList.code).toBe(0);
  expect(cliList.out).toContain(conflict.messageId);
  await http.get(`/connector-instances/${INSTANCE}/deliveries`).query({ state: 'lost' }).expect(400);
  await http
    .post(`/connector-instances/${INSTANCE}/deliveries/resend`)
    .send({ messageId: conflict.messageId })
    .expect(409);

  // Take Odoo's value: partner 11 is pulled again, and the CRM takes its phone; the delivery is resolved.
  const resolved = await cliViaApi(
    'connectors',
    'resolve',
    INSTANCE,
    conflict.messageId,
    '--take',
    'system',
    '--actor',
    'kam@3pl.example',
  );
  expect(resolved.out).toMatch(
    /resolved: took the system's value \(kam@3pl\.example\) \[1 record\(s\) pulled again\]/,
  );
  await waitFor(
    async () =>
      (
        await database.db.sql<{ phone: string }>(
          `SELECT data->>'phone' AS phone FROM crm_customer_record WHERE source = $1 AND external_id = '11'`,
          [INSTANCE],
        )
      )[0]?.phone === '(941)-000-0000',
    { what: "Odoo's phone of partner 11 in the CRM" },
  );
  const writesBefore = odoo.calls.filter((c) => c.method === 'write').length;

  // A second conflict on the same partner, settled the other way: the CRM's value overwrites Odoo's.
  Object.assign(
    odoo.data['res.partner'].find((r) => r.id === 11)!,
    {
      email: 'someone@odoo.example',
      write_date: '2026-11-23 12:00:00',
    },
  );
  await sapUpdate({ email: 'billing@gemini.example' }, new Date().toISOString());
  const second = await waitFor(
    async () => {
      await send.sendPending();
      const page = await http.get(`/connector-instances/${INSTANCE}/deliveries`).query({ state: 'conflict' });
      return page.body.items[0] as { messageId: string } | undefined;
    },
    { what: 'the second conflict' },
  );
  await http
    .post(`/connector-instances/${INSTANCE}/deliveries/${second.messageId}/resolve`)
    .send({ take: 'crm', note: 'billing address confirmed by phone' })
    .expect(200);
  await waitFor(
    async () => {
      await send.sendPending();
      return odoo.data['res.partner'].find((r) => r.id === 11)!.email === 'billing@gemini.example';
    },
    { what: "the CRM's e-mail written over Odoo's" },
  );
  expect(odoo.calls.filter((c) => c.method === 'write').length).toBe(writesBefore + 1);
  const sent = await http
    .get(`/connector-instances/${INSTANCE}/deliveries`)
    .query({ state: 'sent' })
    .expect(200);
  expect(sent.body.items.find((d: { messageId: string }) => d.messageId === second.messageId)).toMatchObject({
    resolution: "took the CRM's value: billing address confirmed by phone",
  });

  // Odoo refuses a write for good (validation): failed; after the fix, the CLI re-sends it.
  // The CRM first reads Odoo's latest write_date, or this update would be a conflict again.
  await pullAll('partners');
  odoo.failNext = {
    model: 'res.partner',
    name: 'odoo.exceptions.ValidationError',
    message: 'Invalid e-mail domain',
  };
  await sapUpdate({ phone: '+1 941 555 0100' }, new Date(Date.now() + 1_000).toISOString());
  const failed = await waitFor(
    async () => {
      await send.sendPending();
      const page = await http.get(`/connector-instances/${INSTANCE}/deliveries`).query({ state: 'failed' });
      return page.body.items[0] as { messageId: string; lastError: string } | undefined;
    },
    { what: 'a failed delivery' },
  );
  expect(failed.lastError).toMatch(/Invalid e-mail domain/);
  expect((await http.get(`/connector-instances/${INSTANCE}`).expect(200)).body.deliveries).toMatchObject({
    failed: 1,
  });
  const resent = await cliViaApi('connectors', 'resend', INSTANCE);
  expect(resent.out).toContain(`re-queued 1 delivery to ${INSTANCE}`);
  await waitFor(
    async () => {
      await send.sendPending();
      return odoo.data['res.partner'].find((r) => r.id === 11)!.phone === '+1 941 555 0100';
    },
    { what: 'the re-sent update in Odoo' },
  );
  expect((await http.get(`/connector-instances/${INSTANCE}`).expect(200)).body.deliveries).toMatchObject({
    failed: 0,
    conflict: 0,
  });
});

it('reconciles an Odoo instance: finds partners the CRM misses and re-pulls exactly those', async () => {
  // A partner created in Odoo and never pulled (its write_date is older than the cursor), and one the CRM lost.
  odoo.data['res.partner'].push({
    ...odoo.data['res.partner'].find((r) => r.id === 14)!,
    id: 42,
    name: 'Lumber Inc',
    vat: false,
    write_date: '2026-01-05 08:00:00',
  });
  await database.db.sql(`DELETE FROM crm_customer_record WHERE source = $1 AND external_id = '10'`, [
    INSTANCE,
  ]);
  const found = await cliViaApi('connectors', 'reconcile', INSTANCE);
  expect(found.code).toBe(3);
  expect(found.out).toMatch(/partners: \d+ at the source, \d+ held, 2 missing/);
  expect(found.out).toMatch(/missing: 10, 42/);
  const repulled = await cliViaApi('connectors', 'reconcile', INSTANCE, '--repull');
  expect(repulled.code).toBe(0);
  expect(repulled.out).toContain('re-pulled 2 record(s)');
  await waitFor(
    async () =>
      (
        await database.db.sql(
          `SELECT 1 FROM crm_customer_record WHERE source = $1 AND external_id IN ('10', '42')`,
          [INSTANCE],
        )
      ).length === 2,
    { what: 'partners 10 and 42 back in the CRM' },
  );
  const again = await cliViaApi('connectors', 'reconcile', INSTANCE);
  expect(again.out).toMatch(/partners: \d+ at the source, \d+ held, 0 missing/);
});
