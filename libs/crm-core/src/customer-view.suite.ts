/**
 * Shared set-up of the customer-view medium specs: real RabbitMQ and PostgreSQL, the app, a raw
 * publisher, a tap on the ERP side of tradelane.events, and the fixtures' builders.
 */
import { afterAll, beforeAll } from '@jest/globals';
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

export const SAP = 'erp-sap:de';
export const ODOO = 'erp-odoo:fr';
export const TMS = 'tms-dcsa:main';
export const PORTAL = 'portal-web:main';

/** What a suite's tests use; filled in its beforeAll. */
export const ctx = {} as {
  database: TestDatabase;
  app: TestApp;
  publisher: RawPublisher;
  tap: EventTap;
  http: ReturnType<typeof request>;
};

/** Registers the suite's set-up and tear-down (one fresh database per spec file). */
export function useCustomerViewSuite(label: string): void {
  const services = testServices();
  beforeAll(async () => {
    await resetBroker(services.amqpUrl, services.rabbitmqctl);
    ctx.database = await createTestDatabase(services.databaseUrl, label);
    ctx.app = await bootTestApp({ database: ctx.database.config, amqpUrl: services.amqpUrl });
    ctx.publisher = await RawPublisher.open(services.amqpUrl);
    ctx.tap = await EventTap.open(
      services.amqpUrl,
      EVENTS_EXCHANGE,
      `test.erp-side-${label}`,
      'crm.customer.#',
    );
    ctx.http = request(ctx.app.app.getHttpServer());
  });
  afterAll(async () => {
    await ctx.tap?.close();
    await ctx.publisher?.close();
    await ctx.app?.close();
    await ctx.database?.drop();
  });
}

export async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await ctx.database.db.sql<{ n: string }>(sql, params);
  return Number(row.n);
}

/** Publishes the messages in one go and waits until each is processed or dead-lettered. */
export async function publish(messages: (Envelope | { routingKey: string; body: string })[]): Promise<void> {
  const before = await count(
    `SELECT count(*) AS n FROM message_ledger WHERE consumer = 'core' AND status IN ('processed', 'dead-lettered')`,
  );
  await ctx.publisher.publishMany(
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

export const T = (day: number, hour = 0) => new Date(Date.UTC(2026, 9, day, hour)).toISOString();

export function customer(source: string, id: string, at: string, payload: Record<string, unknown>) {
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
export function businessOf(source: string, customerId: string, tag: string): Envelope[] {
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

export const idsOf = (items: { externalId?: string; ref?: string }[]) =>
  items.map((i) => i.externalId ?? i.ref).sort();
