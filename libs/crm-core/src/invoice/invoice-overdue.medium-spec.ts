/**
 * crm.invoice.overdue.v1: an open invoice past its due date raises it once per due date (not
 * again on the next sweep, nor when the ERP sends the invoice again; again when the due date moves
 * later and passes), never for a paid invoice or one due before the look-back; and a partner
 * subscribed to `invoice.overdue` gets the invoice as it may see it, never another partner's.
 * Real: PostgreSQL, the app, the outbox, the in-process bus, the webhook dispatcher, an HTTP
 * receiver. Mocked: nothing.
 */
import { SecretBox } from '@tradelane/access';
import { createEnvelope, Envelope } from '@tradelane/contracts';
import {
  AppWithAdmin,
  bootAppWithAdmin,
  CustomerEventFactory,
  publishAndSettle,
  startWebhookReceiver,
  waitFor,
  WebhookReceiver,
} from '@tradelane/testing';
import request from 'supertest';
import { InvoiceOverdueService } from './invoice-overdue.service';

jest.setTimeout(120_000);

const DAY = 86_400_000;
const now = new Date();
const daysFromNow = (d: number) => new Date(now.getTime() + d * DAY).toISOString();

let version = 0;
/** An ERP invoice; each call is a newer version of it. */
function invoice(
  externalId: string,
  customer: string,
  dueInDays: number,
  status = 'OPEN',
  paid = 0,
): Envelope {
  version++;
  return createEnvelope({
    type: 'erp.invoice.upserted.v1',
    source: 'erp-test:main',
    key: externalId,
    occurredAt: new Date(now.getTime() + version).toISOString(),
    payload: {
      externalId,
      customerExternalId: customer,
      issuedAt: daysFromNow(dueInDays - 30),
      dueAt: daysFromNow(dueInDays),
      currency: 'EUR',
      totalAmount: 100,
      paidAmount: paid,
      status,
    } as never,
  });
}

let app: AppWithAdmin;
const api = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });
let receiver: WebhookReceiver;

const ENV = {
  TRADELANE_SECRET_KEYS: SecretBox.generateKeySpec('k1'),
  TRADELANE_OUTBOUND_ALLOW: 'loopback',
  TRADELANE_RATE_LIMIT_PER_MINUTE: '0',
};

/** The overdue events in the outbox, as invoice external ids (in the order raised). */
async function raised(): Promise<string[]> {
  const rows = await app.database.db.sql<{ external_id: string }>(
    `SELECT i.external_id FROM outbox o JOIN crm_invoice i ON i.id = (o.envelope -> 'payload' ->> 'recordId')::uuid
      WHERE o.type = 'crm.invoice.overdue.v1' ORDER BY o.id`,
  );
  return rows.map((r) => r.external_id);
}

beforeAll(async () => {
  Object.assign(process.env, ENV);
  receiver = await startWebhookReceiver();
  app = await bootAppWithAdmin('invoice-overdue');
  await publishAndSettle(app, [
    CustomerEventFactory.create({ externalId: 'ALFKI', name: 'Alfreds Futterkiste' }),
    CustomerEventFactory.create({ externalId: 'BONAP', name: 'Bon app' }),
  ]);
});
afterAll(async () => {
  for (const k of Object.keys(ENV)) delete process.env[k];
  await receiver?.close();
  await app?.close();
});

it('raises an open invoice past its due date once per due date, and nothing else', async () => {
  const overdue = app.app.get(InvoiceOverdueService);
  await publishAndSettle(app, [
    invoice('INV-LATE', 'ALFKI', -1),
    invoice('INV-PART', 'ALFKI', -2, 'PARTIALLY_PAID', 40),
    invoice('INV-PAID', 'ALFKI', -1, 'PAID', 100),
    invoice('INV-OLD', 'ALFKI', -30), // before the 7-day look-back: history, not news
    invoice('INV-SOON', 'ALFKI', 1),
  ]);
  expect(await overdue.sweep(now)).toBe(2);
  expect(await raised()).toEqual(['INV-PART', 'INV-LATE']); // by due date
  expect(await overdue.sweep(now)).toBe(0); // once
  // The ERP sends it again, unchanged due date: not again.
  await publishAndSettle(app, [invoice('INV-LATE', 'ALFKI', -1)]);
  expect(await overdue.sweep(now)).toBe(0);
  // Due date moved two days ahead: not overdue now; once that passes, raised again (INV-SOON too).
  await publishAndSettle(app, [invoice('INV-LATE', 'ALFKI', 2)]);
  expect(await overdue.sweep(now)).toBe(0);
  expect(await overdue.sweep(new Date(now.getTime() + 3 * DAY))).toBe(2);
  expect((await raised()).slice(2)).toEqual(['INV-SOON', 'INV-LATE']);
});

it('tells a partner subscribed to invoice.overdue about its own invoice, not about another partner’s', async () => {
  const customers = (await api().get('/customers').set(as(app.adminToken)).expect(200)).body.items as {
    id: string;
    name: string;
  }[];
  const tokens: string[] = [];
  for (const name of ['Alfreds Futterkiste', 'Bon app']) {
    const partner = (
      await api()
        .post('/partners')
        .set(as(app.adminToken))
        .send({ name, customerIds: [customers.find((c) => c.name === name)!.id] })
        .expect(201)
    ).body.id as string;
    const token = (
      await api()
        .post('/api-keys')
        .set(as(app.adminToken))
        .send({ name, scopes: ['invoices:read', 'webhooks:manage'], partnerId: partner })
        .expect(201)
    ).body.token as string;
    tokens.push(token);
    await api()
      .post('/partner/v1/webhooks')
      .set(as(token))
      .send({ url: `${receiver.base}/${name.split(' ')[0]}`, eventTypes: ['invoice.overdue'] })
      .expect(201);
  }
  await publishAndSettle(app, [invoice('INV-A9', 'ALFKI', -1), invoice('INV-B9', 'BONAP', -1)]);
  expect(await app.app.get(InvoiceOverdueService).sweep(now)).toBe(2);
  await waitFor(async () => receiver.received.length >= 2, { what: 'two overdue webhooks' });
  await new Promise((r) => setTimeout(r, 500)); // and no more
  const byPath = Object.fromEntries(receiver.received.map((h) => [h.path, h.body]));
  expect(receiver.received).toHaveLength(2);
  expect(byPath['/Alfreds']).toMatchObject({
    type: 'invoice.overdue',
    data: { externalId: 'INV-A9', totalAmount: 100, paidAmount: 0 },
  });
  expect(byPath['/Bon']).toMatchObject({ type: 'invoice.overdue', data: { externalId: 'INV-B9' } });
  // The partner API's overdue filter agrees.
  const listed = await api()
    .get('/partner/v1/invoices')
    .query({ overdue: true })
    .set(as(tokens[0]))
    .expect(200);
  expect((listed.body.items as { externalId: string }[]).map((x) => x.externalId)).toContain('INV-A9');
});
