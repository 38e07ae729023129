/**
 * The unified customer view over real RabbitMQ and PostgreSQL: identity resolution (automatic
 * merge on a shared VAT id, unmerge restoring every link, merged/unmerged events to the ERP side),
 * provenance with per-field source priority, and bad input dead-lettered with the field named
 * while the rest of the batch goes through.
 * Real: PostgreSQL, RabbitMQ, the app (handlers, outbox relay, HTTP). Mocked: nothing.
 */
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { EVENTS_EXCHANGE, INBOUND_EXCHANGE } from '@tradelane/messaging';
import {
  bootTestApp,
  createTestDatabase,
  EventTap,
  RawPublisher,
  resetBroker,
  TestApp,
  TestDatabase,
  testServices,
  waitFor,
} from '@tradelane/testing';
import request from 'supertest';
import { ReferenceService } from './reference/reference.service';

jest.setTimeout(120_000);

const services = testServices();
const SAP = 'erp-sap:de';
const ODOO = 'erp-odoo:fr';
const TMS = 'tms-dcsa:main';
const PORTAL = 'portal-web:main';
let database: TestDatabase;
let app: TestApp;
let publisher: RawPublisher;
let tap: EventTap;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  await resetBroker(services.amqpUrl, services.rabbitmqctl);
  database = await createTestDatabase(services.databaseUrl, 'customer_view');
  app = await bootTestApp({ database: database.config, amqpUrl: services.amqpUrl });
  publisher = await RawPublisher.open(services.amqpUrl);
  tap = await EventTap.open(services.amqpUrl, EVENTS_EXCHANGE, 'test.erp-side', 'crm.customer.#');
  http = request(app.app.getHttpServer());
});

afterAll(async () => {
  await tap?.close();
  await publisher?.close();
  await app?.close();
  await database?.drop();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await database.db.sql<{ n: string }>(sql, params);
  return Number(row.n);
}

/** Publishes the messages in one go and waits until each is processed or dead-lettered. */
async function publish(messages: (Envelope | { routingKey: string; body: string })[]): Promise<void> {
  const before = await count(
    `SELECT count(*) AS n FROM message_ledger WHERE consumer = 'core' AND status IN ('processed', 'dead-lettered')`,
  );
  await publisher.publishMany(
    INBOUND_EXCHANGE,
    messages.map((m) => ('body' in m ? m : { routingKey: m.type, body: JSON.stringify(m) })),
  );
  await waitFor(
    async () =>
      (await count(
        `SELECT count(*) AS n FROM message_ledger WHERE consumer = 'core' AND status IN ('processed', 'dead-lettered')`,
      )) >=
      before + messages.length,
    { what: `${messages.length} messages settled` },
  );
}

const T = (day: number, hour = 0) => new Date(Date.UTC(2026, 9, day, hour)).toISOString();

function customer(source: string, id: string, at: string, payload: Record<string, unknown>) {
  const context = source.split('-')[0] as 'erp';
  return createEnvelope({
    type: `${context}.customer.upserted.v1`,
    source,
    key: id,
    occurredAt: at,
    payload: { externalId: id, name: `Customer ${id}`, ...payload },
  });
}

/** An order, a delivery for it, an invoice and an e-mail for one ERP customer. */
function businessOf(source: string, customerId: string, tag: string): Envelope[] {
  return [
    createEnvelope({
      type: 'erp.order.upserted.v1',
      source,
      key: `SO-${tag}`,
      occurredAt: T(2),
      payload: {
        externalId: `SO-${tag}`,
        customerExternalId: customerId,
        orderedAt: T(2),
        requiredAt: T(9),
        carrier: 'DHL Freight',
        lines: [{ sku: 'PAL', quantity: 2, unitPrice: 100 }],
        parties: [{ role: 'consignee', customerExternalId: customerId }],
      },
    }),
    createEnvelope({
      type: 'tms.delivery.status-changed.v1',
      source: TMS,
      key: `SH-${tag}`,
      occurredAt: T(4),
      payload: {
        externalId: `SH-${tag}`,
        status: 'IN_TRANSIT',
        orderExternalId: `SO-${tag}`,
        orderSource: source,
        promisedTo: T(8),
        trackingRefs: [`JJD${tag}`],
      },
    }),
    createEnvelope({
      type: 'erp.invoice.upserted.v1',
      source,
      key: `INV-${tag}`,
      occurredAt: T(3),
      payload: {
        externalId: `INV-${tag}`,
        customerExternalId: customerId,
        orderExternalId: `SO-${tag}`,
        issuedAt: T(3),
        dueAt: T(5),
        currency: 'EUR',
        totalAmount: 238,
        paidAmount: 38,
        status: 'PARTIALLY_PAID',
      },
    }),
    createEnvelope({
      type: 'email.interaction.recorded.v1',
      source: 'email-imap:support',
      key: `<${tag}@mail.example>`,
      occurredAt: T(5),
      payload: {
        externalId: `<${tag}@mail.example>`,
        customerExternalId: customerId,
        customerSource: source,
        channel: 'email',
        direction: 'inbound',
        subject: `Where is SO-${tag}?`,
      },
    }),
  ];
}

const idsOf = (items: { externalId?: string; ref?: string }[]) =>
  items.map((i) => i.externalId ?? i.ref).sort();

describe('identity resolution', () => {
  it('merges two ERP customers sharing a VAT id, and unmerge puts every record back', async () => {
    await publish([
      customer(SAP, 'K100', T(1), { vatId: 'DE811907980', city: 'Hamburg' }),
      customer(ODOO, 'F-77', T(1, 2), { vatId: 'DE811.907.980', city: 'Lyon' }),
      ...businessOf(SAP, 'K100', 'A'),
      ...businessOf(ODOO, 'F-77', 'B'),
    ]);
    const found = await http.get('/customers').query({ q: 'DE811907980' }).expect(200);
    expect(found.body.total).toBe(1);
    const id = found.body.items[0].id;
    expect(found.body.items[0].identities).toEqual([
      { source: ODOO, externalId: 'F-77' },
      { source: SAP, externalId: 'K100' },
    ]);

    const merged = await http.get(`/customers/${id}`).expect(200);
    expect(merged.body.orders.count).toBe(2);
    expect(merged.body.deliveries.total).toBe(2);
    expect(merged.body.invoices.openCount).toBe(2);
    expect(merged.body.invoices.openAmount).toBe('400.0000');
    expect(merged.body.timeline.total).toBe(4); // two e-mails, two delivery status changes
    expect(merged.body.roles).toEqual([
      { role: 'consignee', subjectType: 'order', count: 2 },
      { role: 'customer', subjectType: 'order', count: 2 },
    ]);
    const mergeEvent = await waitFor(
      async () => tap.received.find((m) => m.envelope.type === 'crm.customer.merged.v1'),
      { what: 'crm.customer.merged.v1 on the ERP side' },
    );
    const m = mergeEvent.envelope.payload as {
      survivorId: string;
      mergedId: string;
      mergeId: string;
      rule: string;
    };
    expect(m).toMatchObject({ survivorId: id, rule: 'vat' });
    // The merged customer's id still answers, with the survivor.
    const viaOld = await http.get(`/customers/${m.mergedId}`).expect(200);
    expect(viaOld.body).toMatchObject({ redirectedFrom: m.mergedId, profile: { id } });

    await http.post(`/merges/${m.mergeId}/unmerge`).send({ actor: 'ops@3pl.example' }).expect(200);
    const survivor = await http.get(`/customers/${id}`).expect(200);
    const restored = await http.get(`/customers/${m.mergedId}`).expect(200);
    expect(restored.body.redirectedFrom).toBeNull();
    const byRecord = new Map(
      [survivor.body, restored.body].map((v) => [
        v.identities.map((i: { externalId: string }) => i.externalId).join(),
        v,
      ]),
    );
    for (const [record, tag] of [
      ['K100', 'A'],
      ['F-77', 'B'],
    ]) {
      const view = byRecord.get(record);
      expect(idsOf(view.orders.recent)).toEqual([`SO-${tag}`]);
      expect(idsOf(view.deliveries.recent)).toEqual([`SH-${tag}`]);
      expect(idsOf(view.invoices.open)).toEqual([`INV-${tag}`]);
      expect(view.timeline.items.map((e: { subject: string }) => e.subject).sort()).toEqual(
        [`Delivery SH-${tag}: IN_TRANSIT`, `Where is SO-${tag}?`].sort(),
      );
    }
    const unmergeEvent = await waitFor(
      async () => tap.received.find((e) => e.envelope.type === 'crm.customer.unmerged.v1'),
      { what: 'crm.customer.unmerged.v1 on the ERP side' },
    );
    expect(unmergeEvent.envelope.payload).toMatchObject({ mergeId: m.mergeId, restoredId: m.mergedId });

    // Undone once is undone; and a person's unmerge is not overridden by the match rules.
    await http.post(`/merges/${m.mergeId}/unmerge`).send({}).expect(409);
    await publish([
      customer(ODOO, 'F-77', T(6), { vatId: 'DE811907980', city: 'Lyon', phone: '+33 4 1234' }),
    ]);
    expect((await http.get('/customers').query({ q: 'DE811907980' }).expect(200)).body.total).toBe(2);
  });

  it('proposes, but does not merge, customers sharing only a name and postal code', async () => {
    await publish([
      customer(SAP, 'K200', T(1), { name: 'Speedy Freight GmbH', postalCode: '20457' }),
      customer(PORTAL, 'acct-9', T(1), { name: 'speedy freight', postalCode: '20 457' }),
    ]);
    const proposals = await http.get('/merge-proposals').expect(200);
    const p = proposals.body.items.find((x: { rule: string }) => x.rule === 'name-postal');
    expect(p).toMatchObject({ status: 'pending', evidence: 'speedy freight|20457' });
    expect((await http.get('/customers').query({ q: 'speedy' }).expect(200)).body.total).toBe(2);
    const accepted = await http
      .post(`/merge-proposals/${p.id}/accept`)
      .send({ actor: 'kam@3pl.example' })
      .expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', decidedBy: 'kam@3pl.example' });
    expect((await http.get('/customers').query({ q: 'speedy' }).expect(200)).body.total).toBe(1);
    await http.post(`/merge-proposals/${p.id}/reject`).send({}).expect(409);
  });
});

describe('deliveries', () => {
  it('never regress, keep their timeline, and arrive before their order without being lost', async () => {
    const status = (status: 'IN_TRANSIT' | 'DELIVERED', at: string, location: string) =>
      createEnvelope({
        type: 'tms.delivery.status-changed.v1',
        source: TMS,
        key: 'SH-LATE',
        occurredAt: at,
        payload: { externalId: 'SH-LATE', status, orderExternalId: 'SO-LATE', orderSource: SAP, location },
      });
    // DELIVERED first, then the older IN_TRANSIT; the order and its customer only after that.
    await publish([status('DELIVERED', T(5, 14), 'Lyon')]);
    await publish([status('IN_TRANSIT', T(4, 9), 'Dijon')]);
    expect(
      await count(`SELECT count(*) AS n FROM crm_pending_reference WHERE child_external_id = 'SH-LATE'`),
    ).toBe(1);
    await publish([
      customer(SAP, 'K500', T(1), { name: 'Late Freight SARL' }),
      createEnvelope({
        type: 'erp.order.upserted.v1',
        source: SAP,
        key: 'SO-LATE',
        occurredAt: T(2),
        payload: { externalId: 'SO-LATE', customerExternalId: 'K500', orderedAt: T(2) },
      }),
    ]);
    expect(
      await count(`SELECT count(*) AS n FROM crm_pending_reference WHERE child_external_id = 'SH-LATE'`),
    ).toBe(0);
    const [c] = (await http.get('/customers').query({ q: 'K500' }).expect(200)).body.items;
    const deliveries = (await http.get(`/customers/${c.id}/deliveries`).expect(200)).body;
    expect(deliveries.items).toEqual([
      expect.objectContaining({
        externalId: 'SH-LATE',
        status: 'DELIVERED',
        deliveredAt: T(5, 14),
        location: 'Lyon',
      }),
    ]);
    const detail = (await http.get(`/deliveries/${deliveries.items[0].id}`).expect(200)).body;
    expect(detail.timeline.map((e: { status: string; location: string }) => [e.status, e.location])).toEqual([
      ['IN_TRANSIT', 'Dijon'],
      ['DELIVERED', 'Lyon'],
    ]);
    await http.get('/deliveries/00000000-0000-4000-8000-000000000000').expect(404);
  });
});

describe('provenance', () => {
  it('returns source, source id and time for every field; a lower-priority source does not overwrite', async () => {
    await publish([
      customer(SAP, 'K300', T(1), {
        name: 'Acme Logistics GmbH',
        duns: '150483782',
        email: 'ap@acme.example',
        city: 'Bremen',
      }),
      customer(PORTAL, 'acme-web', T(2), {
        name: 'ACME (portal)',
        duns: '150483782',
        email: 'ops@acme.example',
        phone: '+49 421 555',
      }),
    ]);
    const [found] = (await http.get('/customers').query({ q: '150483782' }).expect(200)).body.items;
    let view = (await http.get(`/customers/${found.id}`).expect(200)).body;
    // name: ERP outranks the portal even though the portal's version is newer; email and phone: the portal wins.
    expect(view.profile.name).toBe('Acme Logistics GmbH');
    expect(view.profile.fields.name).toEqual({
      value: 'Acme Logistics GmbH',
      source: SAP,
      sourceId: 'K300',
      at: T(1),
    });
    expect(view.profile.fields.email).toEqual({
      value: 'ops@acme.example',
      source: PORTAL,
      sourceId: 'acme-web',
      at: T(2),
    });
    expect(view.profile.fields.phone).toMatchObject({ value: '+49 421 555', source: PORTAL });
    expect(view.profile.fields.city).toMatchObject({ value: 'Bremen', source: SAP, sourceId: 'K300' });
    // Every field that has a value says where it came from; a field no source fills has none.
    for (const [field, p] of Object.entries(view.profile.fields as Record<string, { value: unknown }>)) {
      expect(p.value).toBe(view.profile[field]);
      if (p.value !== null)
        expect(p).toEqual({
          value: p.value,
          source: expect.any(String),
          sourceId: expect.any(String),
          at: expect.any(String),
        });
    }
    expect(view.profile.fields.vatId).toEqual({ value: null, source: null, sourceId: null, at: null });

    // A newer WMS name loses to the ERP's; a newer ERP name wins and is announced with its origin.
    const wms = customer('wms-x12:dc1', 'ACME01', T(3), { name: 'acme wms', duns: '150483782' });
    const erp = customer(SAP, 'K300', T(4), {
      name: 'Acme Logistics SE',
      duns: '150483782',
      email: 'ap@acme.example',
      city: 'Bremen',
    });
    await publish([wms, erp]);
    view = (await http.get(`/customers/${found.id}`).expect(200)).body;
    expect(view.profile.fields.name).toEqual({
      value: 'Acme Logistics SE',
      source: SAP,
      sourceId: 'K300',
      at: T(4),
    });
    expect(view.identities).toHaveLength(3);
    const updated = await waitFor(
      async () =>
        tap.received.find(
          (e) => e.envelope.type === 'crm.customer.updated.v1' && e.envelope.causationId === erp.id,
        ),
      { what: 'crm.customer.updated.v1 caused by the ERP change' },
    );
    // The ERP connector skips events whose origin is itself (no echo loop).
    expect(updated.envelope.payload).toEqual({
      customerId: found.id,
      originSource: SAP,
      originExternalId: 'K300',
      changedFields: ['name'],
    });
    expect(
      tap.received.filter(
        (e) => e.envelope.type === 'crm.customer.updated.v1' && e.envelope.causationId === wms.id,
      ),
    ).toHaveLength(0);
  });
});

describe('bad input', () => {
  it('is dead-lettered with the field named, and the rest of the batch is processed', async () => {
    const good = createEnvelope({
      type: 'erp.order.upserted.v1',
      source: SAP,
      key: 'SO-GOOD',
      payload: { externalId: 'SO-GOOD', customerExternalId: 'K100', orderedAt: T(1) },
    });
    const orphan = createEnvelope({
      type: 'erp.order.upserted.v1',
      source: SAP,
      key: 'SO-ORPHAN',
      payload: { externalId: 'SO-ORPHAN', customerExternalId: 'K999', orderedAt: T(1) },
    });
    const invoice = (id: string, patch: Record<string, unknown>) =>
      createEnvelope({
        type: 'erp.invoice.upserted.v1',
        source: SAP,
        key: id,
        payload: {
          externalId: id,
          customerExternalId: 'K100',
          issuedAt: T(3),
          dueAt: T(5),
          currency: 'EUR',
          totalAmount: 10,
          status: 'OPEN',
          ...patch,
        } as never,
      });
    const bad = [
      invoice('INV-NEG', { totalAmount: -5 }),
      invoice('INV-FRACTION', { totalAmount: 10.123456 }),
      invoice('INV-DUE', { dueAt: T(1) }),
      invoice('INV-DATE', { issuedAt: '2026-02-30T00:00:00Z' }),
      createEnvelope({
        type: 'tms.delivery.status-changed.v1',
        source: TMS,
        key: 'SH-X',
        payload: { status: 'DELIVERED', orderExternalId: 'SO-A' } as never,
      }),
      createEnvelope({
        type: 'tms.delivery.status-changed.v1',
        source: TMS,
        key: 'SH-Y',
        payload: { externalId: 'SH-Y', status: 'DELIVERED' } as never,
      }),
    ];
    await publish([good, orphan, ...bad, invoice('INV-OK', {})]);
    const dead = await database.db.sql<{
      key: string;
      error_code: string;
      error_field: string;
      error_message: string;
    }>(`SELECT key, error_code, error_field, error_message FROM dead_letter ORDER BY key`);
    expect(dead.map(({ key, error_code, error_field }) => ({ key, error_code, error_field }))).toEqual([
      { key: 'INV-DATE', error_code: 'INVALID_MESSAGE', error_field: 'payload.issuedAt' },
      { key: 'INV-DUE', error_code: 'INVALID_MESSAGE', error_field: 'payload.dueAt' },
      { key: 'INV-FRACTION', error_code: 'INVALID_MESSAGE', error_field: 'payload.totalAmount' },
      { key: 'INV-NEG', error_code: 'INVALID_MESSAGE', error_field: 'payload.totalAmount' },
      { key: 'SH-X', error_code: 'INVALID_MESSAGE', error_field: 'payload.externalId' },
      { key: 'SH-Y', error_code: 'INVALID_MESSAGE', error_field: 'payload.orderExternalId' },
    ]);
    expect(dead.find((d) => d.key === 'INV-DUE')?.error_message).toMatch(/dueAt must not be before issuedAt/);
    expect(
      await count(`SELECT count(*) AS n FROM crm_order WHERE external_id IN ('SO-GOOD', 'SO-ORPHAN')`),
    ).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM crm_invoice WHERE external_id = 'INV-OK'`)).toBe(1);

    // The order naming an unknown customer is kept; past the grace period it is dead-lettered, naming the field.
    expect(
      await count(`SELECT count(*) AS n FROM crm_pending_reference WHERE child_external_id = 'SO-ORPHAN'`),
    ).toBe(1);
    const references = app.app.get(ReferenceService);
    expect(await references.sweep(0)).toBe(1);
    const [unknown] = await database.db.sql<{
      error_code: string;
      error_field: string;
      error_message: string;
    }>(`SELECT error_code, error_field, error_message FROM dead_letter WHERE message_id = $1`, [orphan.id]);
    expect(unknown).toMatchObject({
      error_code: 'UNKNOWN_REFERENCE',
      error_field: 'payload.customerExternalId',
    });
    expect(unknown.error_message).toMatch(/names customer "K999" of erp-sap:de, which is unknown/);

    // Fixed at the source: the customer arrives; the redriven order is applied again and resolves.
    await publish([customer(SAP, 'K999', T(1), {})]);
    await http.post('/dead-letters/redrive').send({ messageId: orphan.id }).expect(200);
    await waitFor(
      async () =>
        (await count(
          `SELECT count(*) AS n FROM message_ledger WHERE message_id = $1 AND status = 'processed'`,
          [orphan.id],
        )) === 2,
      { what: 'the redriven order processed' },
    );
    expect(await count(`SELECT count(*) AS n FROM crm_pending_reference`)).toBe(0);
    const k999 = (await http.get('/customers').query({ q: 'K999' }).expect(200)).body.items[0];
    expect((await http.get(`/customers/${k999.id}/orders`).expect(200)).body.items[0].externalId).toBe(
      'SO-ORPHAN',
    );
  });
});
