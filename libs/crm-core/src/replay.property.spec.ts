/**
 * Property: the same event stream replayed in any order, with duplicates and in any batch split,
 * ends in the same state as the ordered replay (event time decides, never arrival order):
 * customer records, unified customers (which records form one customer, their fields and
 * provenance), orders and the customer they resolve to, deliveries (status never regresses),
 * invoices, interactions and references still waiting for their parent.
 * Real: the whole pipeline on the embedded default (PGlite + in-process bus), the real handlers.
 */
import { createEnvelope, DELIVERY_STATUSES, Envelope } from '@tradelane/contracts';
import { INBOUND_EXCHANGE, InProcessBus } from '@tradelane/messaging';
import { bootTestApp, TestApp, waitFor } from '@tradelane/testing';
import fc from 'fast-check';

jest.setTimeout(300_000);

let app: TestApp;

beforeAll(async () => {
  app = await bootTestApp({
    database: { kind: 'pglite', dataDir: 'memory://', poolSize: 1, logging: false },
    messaging: { batch: { batchSize: 7, maxWaitMs: 2, lanes: 2 } },
  });
});

afterAll(() => app?.close());

const T0 = Date.parse('2026-05-01T00:00:00Z');
const at = (minute: number) => new Date(T0 + minute * 60_000).toISOString();
const ERP = 'erp-prop:main';
const TMS = 'tms-prop:main';
const minute = fc.integer({ min: 0, max: 20 });
/** A small VAT pool, so records of different sources share one and get merged. */
const vat = fc.constantFrom('DE111111111', 'DE222222222', undefined);

/**
 * A history: versions of 3 ERP and 2 TMS customers, 4 orders (O3 names a customer nobody sends),
 * status events of 3 deliveries (D2 names order O3), 2 invoices and 2 interactions.
 */
const history = fc
  .record({
    customers: fc.array(
      fc.record({
        erp: fc.boolean(),
        c: fc.integer({ min: 0, max: 2 }),
        minute,
        city: fc.constantFrom('Rotterdam', 'Hamburg', 'Lyon'),
        vat,
      }),
      { minLength: 1, maxLength: 10 },
    ),
    orders: fc.array(
      fc.record({
        o: fc.integer({ min: 0, max: 3 }),
        minute,
        qty: fc.integer({ min: 1, max: 9 }),
        shipped: fc.boolean(),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    deliveries: fc.array(
      fc.record({ d: fc.integer({ min: 0, max: 2 }), minute, status: fc.constantFrom(...DELIVERY_STATUSES) }),
      { maxLength: 8 },
    ),
    invoices: fc.array(
      fc.record({ i: fc.integer({ min: 0, max: 1 }), minute, paid: fc.integer({ min: 0, max: 100 }) }),
      { maxLength: 4 },
    ),
    interactions: fc.array(fc.record({ n: fc.integer({ min: 0, max: 1 }), minute }), { maxLength: 3 }),
  })
  .map((h) => {
    const events: Envelope[] = [
      ...h.customers.map((v) => {
        const id = v.erp ? `C${v.c}` : `T${v.c % 2}`;
        return createEnvelope({
          type: v.erp ? 'erp.customer.upserted.v1' : 'tms.customer.upserted.v1',
          source: v.erp ? ERP : TMS,
          key: id,
          occurredAt: at(v.minute),
          payload: { externalId: id, name: `Customer ${id}`, city: v.city, vatId: v.vat },
        });
      }),
      ...h.orders.map((v) =>
        createEnvelope({
          type: 'erp.order.upserted.v1',
          source: ERP,
          key: `O${v.o}`,
          occurredAt: at(v.minute),
          payload: {
            externalId: `O${v.o}`,
            customerExternalId: `C${v.o}`,
            orderedAt: at(0),
            shippedAt: v.shipped ? at(v.minute) : undefined,
            lines: [{ sku: 'A', quantity: v.qty, unitPrice: 2.5 }],
          },
        }),
      ),
      ...h.deliveries.map((v) =>
        createEnvelope({
          type: 'tms.delivery.status-changed.v1',
          source: TMS,
          key: `D${v.d}`,
          occurredAt: at(v.minute),
          payload: {
            externalId: `D${v.d}`,
            status: v.status,
            orderExternalId: `O${v.d + 1}`,
            orderSource: ERP,
            location: `hub ${v.minute}`,
          },
        }),
      ),
      ...h.invoices.map((v) =>
        createEnvelope({
          type: 'erp.invoice.upserted.v1',
          source: ERP,
          key: `I${v.i}`,
          occurredAt: at(v.minute),
          payload: {
            externalId: `I${v.i}`,
            customerExternalId: `C${v.i}`,
            issuedAt: at(0),
            dueAt: at(60),
            currency: 'EUR',
            totalAmount: 100,
            paidAmount: v.paid,
            status: v.paid === 100 ? 'PAID' : 'OPEN',
          },
        }),
      ),
      ...h.interactions.map((v) =>
        createEnvelope({
          type: 'email.interaction.recorded.v1',
          source: 'email-prop:inbox',
          key: `M${v.n}`,
          occurredAt: at(v.minute),
          payload: {
            externalId: `M${v.n}`,
            customerExternalId: `C${v.n}`,
            customerSource: ERP,
            channel: 'email',
            direction: 'inbound',
            subject: `Mail ${v.minute}`,
          },
        }),
      ),
    ];
    return events;
  });

const TABLES =
  'crm_customer, crm_customer_record, crm_customer_identifier, crm_customer_merge, crm_merge_proposal, crm_order, ' +
  'crm_party_link, crm_delivery, crm_delivery_event, crm_invoice, crm_interaction, crm_pending_reference, ' +
  'inbox, outbox, message_ledger, dead_letter';

/** A customer named by its records, not by its generated id. */
const GROUP = `(SELECT string_agg(g.source || '/' || g.external_id, ',' ORDER BY g.source, g.external_id)
                  FROM crm_customer_record g WHERE g.customer_id = r.customer_id)`;

async function replay(events: Envelope[]): Promise<Record<string, unknown>> {
  await app.db.sql(`TRUNCATE ${TABLES}`);
  for (const e of events) await app.bus.publish(INBOUND_EXCHANGE, e);
  const distinct = new Set(events.map((e) => e.id)).size;
  // Every copy settled (redeliveries included), not just every id processed: a copy left in the
  // queue would otherwise be processed after the next run's TRUNCATE.
  const bus = app.bus as InProcessBus;
  const outcome = await waitFor(
    async () => {
      const [failed] = await app.db.sql<{ error_message: string }>(
        `SELECT error_message FROM message_ledger WHERE error_message IS NOT NULL LIMIT 1`,
      );
      if (failed) return { failed: failed.error_message };
      const [inbox] = await app.db.sql<{ n: string }>(
        `SELECT count(*) AS n FROM inbox WHERE consumer = 'core'`,
      );
      return bus.isIdle() && Number(inbox.n) === distinct && { failed: null };
    },
    { timeoutMs: 60_000, intervalMs: 20, what: 'all events processed' },
  );
  // No handler may fail on valid events (a retry would hide a bug here).
  expect(outcome.failed).toBeNull();
  const q = (sql: string) => app.db.sql(sql);
  return {
    records: await q(
      `SELECT r.source, r.external_id, r.data, r.source_updated_at, r.source_message_id, ${GROUP} AS customer
         FROM crm_customer_record r ORDER BY r.source, r.external_id`,
    ),
    customers: await q(
      `SELECT ${GROUP} AS records, c.name, c.vat_id, c.city, c.provenance
         FROM crm_customer c JOIN LATERAL (SELECT customer_id FROM crm_customer_record WHERE customer_id = c.id LIMIT 1) r ON true
        WHERE c.status = 'active' ORDER BY 1`,
    ),
    orders: await q(
      `SELECT o.external_id, o.shipped_at, o.total_amount, o.source_message_id, ${GROUP} AS customer
         FROM crm_order o LEFT JOIN crm_customer_record r
           ON r.tenant = o.tenant AND r.source = o.customer_source AND r.external_id = o.customer_external_id
        ORDER BY o.external_id`,
    ),
    deliveries: await q(
      `SELECT external_id, status, status_at, location, delivered_at, picked_up_at, order_external_id, event_count
         FROM crm_delivery ORDER BY external_id`,
    ),
    invoices: await q(
      `SELECT external_id, paid_amount, status, source_message_id FROM crm_invoice ORDER BY external_id`,
    ),
    interactions: await q(
      `SELECT external_id, subject, occurred_at FROM crm_interaction ORDER BY external_id`,
    ),
    pending: await q(
      `SELECT entity, child_external_id, field, ref_external_id FROM crm_pending_reference ORDER BY 1, 2, 3`,
    ),
  };
}

/** The history, and an arrival order: a permutation of it plus redeliveries (same ids) of some events. */
const scenario = history.chain((events) =>
  fc.subarray(events).chain((redelivered) => {
    const all = [...events, ...redelivered];
    return fc.tuple(
      fc.constant(events),
      fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
    );
  }),
);

it('ends in the same state whatever the arrival order and duplicates', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ([events, arrival]) => {
      const ordered = [...events].sort(
        (a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id),
      );
      const expected = (await replay(ordered)) as {
        orders: { external_id: string; customer: string | null }[];
        deliveries: { external_id: string; status: string; status_at: Date }[];
        pending: { entity: string; child_external_id: string }[];
      };
      expect(await replay(arrival)).toEqual(expected);

      // Every order whose customer exists resolves to it, even when the order arrived first;
      // the others wait for it (kept, not dropped).
      const known = new Set(events.filter((e) => e.type === 'erp.customer.upserted.v1').map((e) => e.key));
      for (const o of expected.orders) {
        const c = `C${o.external_id.slice(1)}`;
        if (known.has(c)) expect(o.customer).toContain(`${ERP}/${c}`);
        else {
          expect(o.customer).toBeNull();
          expect(expected.pending).toContainEqual(
            expect.objectContaining({ entity: 'order', child_external_id: o.external_id }),
          );
        }
      }
      // Records that ever carried the same VAT id are one customer (strong identifier, auto-merge).
      const records = (
        expected as unknown as { records: { source: string; external_id: string; customer: string }[] }
      ).records;
      const customerOf = new Map(records.map((r) => [`${r.source}/${r.external_id}`, r.customer]));
      const byVat = new Map<string, Set<string>>();
      for (const e of events.filter((e) => e.type.endsWith('.customer.upserted.v1'))) {
        const v = (e.payload as { vatId?: string }).vatId;
        if (v)
          byVat.set(v, (byVat.get(v) ?? new Set()).add(customerOf.get(`${e.source}/${e.key}`) as string));
      }
      for (const groups of byVat.values()) expect(groups.size).toBe(1);
      // A delivery's status is the one of its latest event, whatever came later.
      for (const d of expected.deliveries) {
        const mine = events.filter(
          (e) => e.type === 'tms.delivery.status-changed.v1' && e.key === d.external_id,
        );
        const newest = mine.sort(
          (a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id.localeCompare(a.id),
        )[0];
        expect(d.status).toBe((newest.payload as { status: string }).status);
      }
    }),
    { numRuns: 50 },
  );
});
