/**
 * SAP IDocs end to end: the two captured flat-file IDocs dropped into an instance's folder become a
 * canonical order and invoice in the CRM (through RabbitMQ, kept whole until translated); a file
 * with a broken control record and one with an unknown IDoc type are dead-lettered whole with the
 * reason naming record and column, and the process goes on; taken files move to processed/; a
 * second pass takes nothing again; a signed HTTP push lands too, a Latin-1 file on a UTF-8 instance
 * is refused naming the encoding.
 * Real: PostgreSQL, RabbitMQ, the app (file job, handlers, relay, HTTP). Mocked: nothing.
 */
import { ConnectorReconcileService, FileDropJob } from '@tradelane/connector-host';
import { signWebhook } from '@tradelane/connector-sdk';
import { TestApp, TestDatabase, waitFor } from '@tradelane/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { ConnectorApp, startConnectorApp } from './support/connector-app';

jest.setTimeout(120_000);

const FIXTURES = path.resolve(__dirname, '../../plugins/erp-sap-idoc/src/__fixtures__');
const ORDERS = fs.readFileSync(path.join(FIXTURES, 'blueseer_ORDERS05_flatfile.txt'));
const INVOIC = fs.readFileSync(path.join(FIXTURES, 'blueseer_INVOIC02_flatfile.txt'));
const SECRET = 'idoc-push-secret-0123456789';
const INSTANCE = 'erp-sap-idoc:de';

let ctx: ConnectorApp;
let database: TestDatabase;
let app: TestApp;
let drop: string;

beforeAll(async () => {
  ctx = await startConnectorApp('sap_idoc', { CONNECTOR_FILE_POLL_SECONDS: '3600' });
  ({ database, app } = ctx);
  drop = fs.mkdtempSync(path.join(os.tmpdir(), 'idoc-drop-'));
  await ctx.instances.add({
    connector: 'erp-sap-idoc',
    name: 'de',
    config: { dropFolder: drop, encoding: 'latin1', webhookSecret: SECRET },
  });
});

afterAll(async () => {
  await ctx?.close();
  fs.rmSync(drop, { recursive: true, force: true });
});

const deadLetters = (source = INSTANCE) =>
  database.db.sql<{ reason: string; field: string | null; body: Buffer }>(
    `SELECT error_message AS reason, error_field AS field, body FROM dead_letter WHERE source = $1 ORDER BY error_message`,
    [source],
  );

it('takes dropped IDocs into the CRM and dead-letters broken ones naming record and column', async () => {
  fs.writeFileSync(path.join(drop, '0001_ORDERS05.txt'), ORDERS);
  fs.writeFileSync(path.join(drop, '0002_INVOIC02.txt'), INVOIC);
  const text = ORDERS.toString('latin1');
  fs.writeFileSync(
    path.join(drop, '0003_unknown_type.txt'),
    Buffer.from(text.replace('ORDERS05', 'ORDERS99'), 'latin1'),
  );
  fs.writeFileSync(
    path.join(drop, '0004_broken_control.txt'),
    Buffer.from(text.slice(0, 30) + text.slice(524), 'latin1'),
  );

  const job = app.app.get(FileDropJob);
  expect(await job.runOnce()).toBe(4);
  expect(fs.readdirSync(drop).filter((f) => f !== 'processed')).toEqual([]);
  expect(fs.readdirSync(path.join(drop, 'processed')).sort()).toHaveLength(4);

  await waitFor(
    async () =>
      (
        await database.db.sql(`SELECT 1 FROM crm_order WHERE source = $1 AND external_id = 'TESTPONUMBER'`, [
          INSTANCE,
        ])
      ).length === 1 &&
      (
        await database.db.sql(`SELECT 1 FROM crm_invoice WHERE source = $1 AND external_id = '0012345678'`, [
          INSTANCE,
        ])
      ).length === 1,
    { what: 'the order and the invoice from the dropped IDocs' },
  );
  const [invoice] = await database.db.sql<Record<string, unknown>>(
    `SELECT customer_external_id, order_external_id, total_amount::float AS total, currency, due_at FROM crm_invoice WHERE source = $1`,
    [INSTANCE],
  );
  expect(invoice).toMatchObject({
    customer_external_id: '0001234567',
    order_external_id: '0001130235',
    total: 7349.68,
    currency: 'USD',
  });
  const dead = await waitFor(
    async () => {
      const rows = await deadLetters();
      return rows.length === 2 ? rows : undefined;
    },
    { what: 'two dead letters' },
  );
  expect(dead.map((d) => d.reason)).toEqual([
    expect.stringMatching(/record 1, column 31 \(IDOCTYP\): control record ends at column 30/),
    expect.stringMatching(/record 1, column 40 \(IDOCTYP\): unknown IDoc type "ORDERS99"/),
  ]);
  expect(dead.map((d) => d.field)).toEqual(['record 1 column 31 IDOCTYP', 'record 1 column 40 IDOCTYP']);
  // The whole file is kept with the reason (the received message), so it can be redriven after a fix.
  const kept = JSON.parse(dead[1].body.toString('utf8')) as {
    payload: { bodyBase64: string; headers: Record<string, string> };
  };
  expect(Buffer.from(kept.payload.bodyBase64, 'base64').toString('latin1')).toContain('ORDERS99');
  expect(kept.payload.headers['x-file-name']).toBe('0003_unknown_type.txt');

  // Nothing left to take; the processed files are not read again.
  expect(await job.runOnce()).toBe(0);
});

it('takes a signed HTTP push, refuses an unsigned one, and names the encoding of a Latin-1 push on a UTF-8 instance', async () => {
  const http = request(app.app.getHttpServer());
  let n = 0;
  const sign = (b: Buffer, secret = SECRET) => signWebhook(secret, b, { id: `idoc-push-${++n}` });
  const second = Buffer.from(ORDERS.toString('latin1').replace('TESTPONUMBER', 'PO-HTTP-0001'), 'latin1');
  await http
    .post(`/webhooks/${INSTANCE}/idoc`)
    .set('content-type', 'text/plain')
    .set(sign(second, 'wrong-secret-000000'))
    .send(second)
    .expect(401);
  await http
    .post(`/webhooks/${INSTANCE}/idoc`)
    .set('content-type', 'text/plain')
    .set(sign(second))
    .send(second)
    .expect(202);
  await waitFor(
    async () =>
      (
        await database.db.sql(`SELECT 1 FROM crm_order WHERE source = $1 AND external_id = 'PO-HTTP-0001'`, [
          INSTANCE,
        ])
      ).length === 1,
    { what: 'the pushed order' },
  );

  await ctx.instances.add({ connector: 'erp-sap-idoc', name: 'utf8', config: { webhookSecret: SECRET } });
  // The sample is ASCII; a Latin-1 sender writes Ä as the single byte 0xC4, which is not UTF-8.
  const latin1 = Buffer.from(
    ORDERS.toString('latin1').replace('TRIDENT BICYCLE EX?', 'TRIDENT BICYCLE EX\u00c4'),
    'latin1',
  );
  await http
    .post('/webhooks/erp-sap-idoc:utf8/idoc')
    .set('content-type', 'text/plain')
    .set(sign(latin1))
    .send(latin1)
    .expect(202);
  const dead = await waitFor(async () => (await deadLetters('erp-sap-idoc:utf8'))[0], {
    what: 'the Latin-1 push dead-lettered',
  });
  expect(dead.reason).toMatch(/not valid UTF-8 .* set encoding: latin1/);
});

it('reconciles a drop-folder source from its own ledger: payloads taken, translated, dead-lettered and records per day', async () => {
  const r = await app.app.get(ConnectorReconcileService).reconcile(INSTANCE);
  expect(r.streams).toEqual([]);
  const today = new Date().toISOString().slice(0, 10);
  // 4 dropped files (2 translated, 2 dead-lettered) and 1 signed push, all today.
  expect(r.received).toEqual([
    { day: today, payloads: 5, translated: 3, deadLettered: 2, unaccounted: 0, records: expect.any(Number) },
  ]);
  // ORDERS05 and the pushed copy: an order each (+ their customers); INVOIC02: an invoice.
  expect(r.received[0].records).toBeGreaterThanOrEqual(3);
});

it('refuses drop and outbound folders outside the file roots, symlinks included, naming the setting', async () => {
  const http = request(app.app.getHttpServer());
  for (const dropFolder of ['/etc', '/root/.ssh', '/var/lib/postgresql']) {
    const res = await http
      .post('/connector-instances')
      .send({ connector: 'erp-sap-idoc', name: 'evil', config: { dropFolder } })
      .expect(400);
    expect(res.body.message).toMatch(
      new RegExp(
        `config\\.dropFolder: ${dropFolder.replace(/[./]/g, '\\$&')} .*is outside the folders connectors may use \\(TRADELANE_FILE_ROOTS=`,
      ),
    );
  }
  // A symlink inside the root that points outside it.
  const link = path.join(drop, 'to-etc');
  fs.symlinkSync('/etc', link);
  const viaLink = await http
    .post('/connector-instances')
    .send({ connector: 'erp-sap-idoc', name: 'evil', config: { outboundFolder: link } })
    .expect(400);
  expect(viaLink.body.message).toMatch(/config\.outboundFolder: .*to-etc \(\/etc\) is outside/);
  fs.rmSync(link);
  expect(
    (await http.get('/connector-instances').expect(200)).body.map((i: { id: string }) => i.id),
  ).not.toContain('erp-sap-idoc:evil');
});
