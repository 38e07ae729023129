/**
 * The unified customer view over real RabbitMQ and PostgreSQL: identity resolution (automatic
 * merge on a shared VAT id, unmerge restoring every link, merged/unmerged events to the ERP side)
 * deliveries that never regress, and provenance with per-field source priority. Bad input:
 * customer-view-input.medium-spec.ts.
 * Real: PostgreSQL, RabbitMQ, the app (handlers, outbox relay, HTTP). Mocked: nothing.
 */
import { createEnvelope } from '@tradelane/contracts';
import { waitFor } from '@tradelane/testing';
import {
  businessOf,
  count,
  ctx,
  customer,
  idsOf,
  ODOO,
  PORTAL,
  publish,
  SAP,
  T,
  TMS,
  useCustomerViewSuite,
} from './customer-view.suite';

jest.setTimeout(120_000);
useCustomerViewSuite('customer_view');

describe('identity resolution', () => {
  it('merges two ERP customers sharing a VAT id, and unmerge puts every record back', async () => {
    await publish([
      customer(SAP, 'K100', T(1), { vatId: 'DE811907980', city: 'Hamburg' }),
      customer(ODOO, 'F-77', T(1, 2), { vatId: 'DE811.907.980', city: 'Lyon' }),
      ...businessOf(SAP, 'K100', 'A'),
      ...businessOf(ODOO, 'F-77', 'B'),
    ]);
    const found = await ctx.http.get('/customers').query({ q: 'DE811907980' }).expect(200);
    expect(found.body.total).toBe(1);
    const id = found.body.items[0].id;
    expect(found.body.items[0].identities).toEqual([
      { source: ODOO, externalId: 'F-77' },
      { source: SAP, externalId: 'K100' },
    ]);

    const merged = await ctx.http.get(`/customers/${id}`).expect(200);
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
      async () => ctx.tap.received.find((m) => m.envelope.type === 'crm.customer.merged.v1'),
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
    const viaOld = await ctx.http.get(`/customers/${m.mergedId}`).expect(200);
    expect(viaOld.body).toMatchObject({ redirectedFrom: m.mergedId, profile: { id } });

    await ctx.http.post(`/merges/${m.mergeId}/unmerge`).send({ actor: 'ops@3pl.example' }).expect(200);
    const survivor = await ctx.http.get(`/customers/${id}`).expect(200);
    const restored = await ctx.http.get(`/customers/${m.mergedId}`).expect(200);
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
      async () => ctx.tap.received.find((e) => e.envelope.type === 'crm.customer.unmerged.v1'),
      { what: 'crm.customer.unmerged.v1 on the ERP side' },
    );
    expect(unmergeEvent.envelope.payload).toMatchObject({ mergeId: m.mergeId, restoredId: m.mergedId });

    // Undone once is undone; and a person's unmerge is not overridden by the match rules.
    await ctx.http.post(`/merges/${m.mergeId}/unmerge`).send({}).expect(409);
    await publish([
      customer(ODOO, 'F-77', T(6), { vatId: 'DE811907980', city: 'Lyon', phone: '+33 4 1234' }),
    ]);
    expect((await ctx.http.get('/customers').query({ q: 'DE811907980' }).expect(200)).body.total).toBe(2);
  });

  it('proposes, but does not merge, customers sharing only a name and postal code', async () => {
    await publish([
      customer(SAP, 'K200', T(1), { name: 'Speedy Freight GmbH', postalCode: '20457' }),
      customer(PORTAL, 'acct-9', T(1), { name: 'speedy freight', postalCode: '20 457' }),
    ]);
    const proposals = await ctx.http.get('/merge-proposals').expect(200);
    const p = proposals.body.items.find((x: { rule: string }) => x.rule === 'name-postal');
    expect(p).toMatchObject({ status: 'pending', evidence: 'speedy freight|20457' });
    expect((await ctx.http.get('/customers').query({ q: 'speedy' }).expect(200)).body.total).toBe(2);
    const accepted = await ctx.http
      .post(`/merge-proposals/${p.id}/accept`)
      .send({ actor: 'kam@3pl.example' })
      .expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', decidedBy: 'kam@3pl.example' });
    expect((await ctx.http.get('/customers').query({ q: 'speedy' }).expect(200)).body.total).toBe(1);
    await ctx.http.post(`/merge-proposals/${p.id}/reject`).send({}).expect(409);
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
    const [c] = (await ctx.http.get('/customers').query({ q: 'K500' }).expect(200)).body.items;
    const deliveries = (await ctx.http.get(`/customers/${c.id}/deliveries`).expect(200)).body;
    expect(deliveries.items).toEqual([
      expect.objectContaining({
        externalId: 'SH-LATE',
        status: 'DELIVERED',
        deliveredAt: T(5, 14),
        location: 'Lyon',
      }),
    ]);
    const detail = (await ctx.http.get(`/deliveries/${deliveries.items[0].id}`).expect(200)).body;
    expect(detail.timeline.map((e: { status: string; location: string }) => [e.status, e.location])).toEqual([
      ['IN_TRANSIT', 'Dijon'],
      ['DELIVERED', 'Lyon'],
    ]);
    await ctx.http.get('/deliveries/00000000-0000-4000-8000-000000000000').expect(404);
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
    const [found] = (await ctx.http.get('/customers').query({ q: '150483782' }).expect(200)).body.items;
    let view = (await ctx.http.get(`/customers/${found.id}`).expect(200)).body;
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
    view = (await ctx.http.get(`/customers/${found.id}`).expect(200)).body;
    expect(view.profile.fields.name).toEqual({
      value: 'Acme Logistics SE',
      source: SAP,
      sourceId: 'K300',
      at: T(4),
    });
    expect(view.identities).toHaveLength(3);
    const updated = await waitFor(
      async () =>
        ctx.tap.received.find(
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
      ctx.tap.received.filter(
        (e) => e.envelope.type === 'crm.customer.updated.v1' && e.envelope.causationId === wms.id,
      ),
    ).toHaveLength(0);
  });
});
