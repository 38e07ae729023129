/**
 * Property: the same event stream replayed in any order, with duplicates and in any batch split,
 * ends in the same state as the ordered replay (event time decides, never arrival order).
 * Real: the whole pipeline on the embedded default (PGlite + in-process bus), the real handlers.
 */
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { INBOUND_EXCHANGE, InProcessBus } from '@tradelane/messaging';

import { bootTestApp, TestApp, waitFor } from '@tradelane/testing';
import fc from 'fast-check';

jest.setTimeout(180_000);

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

/** A history: versions of 3 customers and 4 orders, some sharing an event time (tie-break by id). */
const history = fc
  .tuple(
    fc.array(
      fc.record({
        c: fc.integer({ min: 0, max: 2 }),
        minute: fc.integer({ min: 0, max: 20 }),
        city: fc.constantFrom('Rotterdam', 'Hamburg', 'Lyon'),
      }),
      { minLength: 1, maxLength: 12 },
    ),
    fc.array(
      fc.record({
        o: fc.integer({ min: 0, max: 3 }),
        c: fc.integer({ min: 0, max: 2 }),
        minute: fc.integer({ min: 0, max: 20 }),
        qty: fc.integer({ min: 1, max: 9 }),
        shipped: fc.boolean(),
      }),
      { minLength: 1, maxLength: 12 },
    ),
  )
  .map(([customers, orders]) => {
    const events: Envelope[] = [
      ...customers.map((v) =>
        createEnvelope({
          type: 'erp.customer.upserted.v1',
          source: 'erp-prop:main',
          key: `C${v.c}`,
          occurredAt: at(v.minute),
          payload: { externalId: `C${v.c}`, name: `Customer ${v.c}`, city: v.city },
        }),
      ),
      ...orders.map((v) =>
        createEnvelope({
          type: 'erp.order.upserted.v1',
          source: 'erp-prop:main',
          key: `O${v.o}`,
          occurredAt: at(v.minute),
          payload: {
            externalId: `O${v.o}`,
            customerExternalId: `C${v.c}`,
            orderedAt: at(0),
            shippedAt: v.shipped ? at(v.minute) : undefined,
            lines: [{ sku: 'A', quantity: v.qty, unitPrice: 2.5 }],
          },
        }),
      ),
    ];
    return events;
  });

async function replay(events: Envelope[]): Promise<unknown> {
  await app.db.sql('TRUNCATE crm_customer, crm_order, inbox, outbox, message_ledger, dead_letter');
  for (const e of events) await app.bus.publish(INBOUND_EXCHANGE, e);
  const distinct = new Set(events.map((e) => e.id)).size;
  // Every copy settled (redeliveries included), not just every id processed: a copy left in the
  // queue would otherwise be processed after the next run's TRUNCATE.
  const bus = app.bus as InProcessBus;
  await waitFor(
    async () =>
      bus.isIdle() &&
      Number((await app.db.sql<{ n: string }>(`SELECT count(*) AS n FROM inbox`))[0].n) === distinct,
    { timeoutMs: 30_000, intervalMs: 20, what: 'all events processed' },
  );
  // Identity by business key, not by generated ids; revision counts applied events, so it differs.
  const customers = await app.db.sql(
    `SELECT external_id, name, city, source_updated_at, source_message_id FROM crm_customer ORDER BY external_id`,
  );
  const orders = await app.db.sql(
    `SELECT o.external_id, o.customer_external_id, c.external_id AS linked_customer, o.shipped_at, o.total_amount,
            o.lines, o.source_updated_at, o.source_message_id
       FROM crm_order o
       LEFT JOIN crm_customer c ON c.tenant = o.tenant AND c.source = o.source AND c.external_id = o.customer_external_id
      ORDER BY o.external_id`,
  );
  return { customers, orders };
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
        orders: { linked_customer: string | null; customer_external_id: string }[];
      };
      expect(await replay(arrival)).toEqual(expected);
      // Every order whose customer exists is linked to it, even when the order arrived first.
      const known = new Set(events.filter((e) => e.type === 'erp.customer.upserted.v1').map((e) => e.key));
      for (const o of expected.orders)
        expect(o.linked_customer).toBe(known.has(o.customer_external_id) ? o.customer_external_id : null);
    }),
    { numRuns: 15 },
  );
});
