/**
 * The unified customer view over real RabbitMQ and PostgreSQL: bad input is dead-lettered with the
 * field named while the rest of the batch goes through, and a record whose parent never arrives is
 * dead-lettered after the grace period.
 * Real: PostgreSQL, RabbitMQ, the app (handlers, outbox relay, HTTP). Mocked: nothing.
 */
import { createEnvelope } from '@tradelane/contracts';
import { waitFor } from '@tradelane/testing';
import { count, ctx, customer, publish, SAP, T, TMS, useCustomerViewSuite } from './customer-view.suite';
import { ReferenceService } from './reference/reference.service';

jest.setTimeout(120_000);
useCustomerViewSuite('customer_view_input');

describe('bad input', () => {
  it('is dead-lettered with the field named, and the rest of the batch is processed', async () => {
    // The customer the valid records belong to (in one spec file with the identity tests, they made it).
    await publish([customer(SAP, 'K100', T(1), { vatId: 'DE811907980' })]);
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
    const dead = await ctx.database.db.sql<{
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
    const references = ctx.app.app.get(ReferenceService);
    expect(await references.sweep(0)).toBe(1);
    const [unknown] = await ctx.database.db.sql<{
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
    await ctx.http.post('/dead-letters/redrive').send({ messageId: orphan.id }).expect(200);
    await waitFor(
      async () =>
        (await count(
          `SELECT count(*) AS n FROM message_ledger WHERE message_id = $1 AND status = 'processed'`,
          [orphan.id],
        )) === 2,
      { what: 'the redriven order processed' },
    );
    expect(await count(`SELECT count(*) AS n FROM crm_pending_reference`)).toBe(0);
    const k999 = (await ctx.http.get('/customers').query({ q: 'K999' }).expect(200)).body.items[0];
    expect((await ctx.http.get(`/customers/${k999.id}/orders`).expect(200)).body.items[0].externalId).toBe(
      'SO-ORPHAN',
    );
  });
});
