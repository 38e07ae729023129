/**
 * A real Odoo partner from the Dominican Republic (RNC with dashes) was dead-lettered whole because
 * its tax id was not EU-shaped. Now: the customer is created with the id as sent, and a second
 * system with the same RNC (and country) is recognised as the same company.
 * Real: PostgreSQL, the app (validation, handlers) on the in-process bus, the Odoo mapper. Mocked: nothing.
 */
import { createEnvelope } from '@tradelane/contracts';
import { mapPage } from '@tradelane/erp-odoo';
import { AppOnDatabase, bootAppOnNewDatabase, publishAndSettle } from '@tradelane/testing';

jest.setTimeout(60_000);

let app: AppOnDatabase;
beforeAll(async () => {
  app = await bootAppOnNewDatabase('tax_ids');
});
afterAll(() => app?.close());

it('creates a customer with a non-EU tax id and matches it across systems by id and country', async () => {
  // The partner as Odoo 17 returns it (false for empty fields), mapped by the connector's own mapper.
  const [record] = mapPage('partners', [
    {
      id: 77,
      write_date: '2026-11-20 10:00:00',
      name: 'Distribuidora Caribe SRL',
      is_company: true,
      vat: '1-01-12345-6',
      email: false,
      phone: '+1 809 555 0142',
      mobile: false,
      street: 'Av. Winston Churchill 93',
      city: 'Santo Domingo',
      zip: '10148',
      country_code: 'DO',
      ref: false,
      parent_id: false,
    },
  ]);
  const odoo = createEnvelope({
    type: 'erp.customer.upserted.v1',
    source: 'erp-odoo:do',
    key: record.key,
    occurredAt: record.occurredAt,
    payload: record.payload as never,
  });
  const tms = createEnvelope({
    type: 'tms.customer.upserted.v1',
    source: 'tms-main:do',
    key: 'SHIP-9',
    payload: { externalId: 'SHIP-9', name: 'Caribe Distribuidora', vatId: '101123456', country: 'DO' },
  });
  await publishAndSettle(app, [odoo, tms]);
  const dead = await app.database.db.sql(`SELECT error_message FROM dead_letter`);
  expect(dead).toEqual([]);
  const rows = await app.database.db.sql<{ customer_id: string; vat: string }>(
    `SELECT customer_id, data->>'vatId' AS vat FROM crm_customer_record ORDER BY source`,
  );
  expect(rows.map((r) => r.vat)).toEqual(['1-01-12345-6', '101123456']); // kept as each source sent it
  expect(new Set(rows.map((r) => r.customer_id)).size).toBe(1); // one company
});
