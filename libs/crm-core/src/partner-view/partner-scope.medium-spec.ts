/**
 * The partner scope, proven over random data (fast-check) on real PostgreSQL with the whole app and
 * authentication required: random tenants, customers (some of their source records moved to another
 * customer, as a merge does), partner organisations linked to some of them, orders, deliveries,
 * invoices, cases (with internal and customer messages) and stock counts, with random party roles.
 * For every partner:
 *   - every list of the partner API (paged through with the cursor) holds exactly the records one
 *     of its customers is a party to, and every detail answers 200 for those and 404 for all others
 *     (another partner's, another tenant's), so existence does not leak;
 *   - a raw query in a transaction set to the partner returns exactly those rows, and no row at all
 *     of the tables a partner has no business in (RLS proven, not assumed);
 * and staff of tenant T see only T's customers, by list and by id, and a raw query in a transaction
 * set to T returns no other tenant's row in any table. Over the same worlds, every record's change
 * event is sent to every partner's webhook subscription (credential with random scopes): a real
 * receiver gets exactly the records the partner may see, with only the fields its scopes show.
 * Real: PostgreSQL, the app, its migrations and policies, the outbox, the webhook dispatcher, an
 * HTTP receiver. Mocked: nothing.
 */
import { AccessService, Principal, SecretBox } from '@tradelane/access';
import { createEnvelope, MessageType } from '@tradelane/contracts';
import { PARTNER_PERMISSIONS, Permission, PERMISSION_NAMES } from '@tradelane/http';
import { EVENTS_EXCHANGE, OutboxRelay } from '@tradelane/messaging';
import { Database, OutboxRepository, runScoped } from '@tradelane/persistence';
import {
  AppWithAdmin,
  bootAppWithAdmin,
  startWebhookReceiver,
  waitFor,
  WebhookReceiver,
} from '@tradelane/testing';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { PARTNER_SEES } from '../migrations/1700000026000-partner-scope';
import {
  PARTNER_RESOURCE_NAMES,
  PARTNER_RESOURCES,
  PartnerResourceName,
  visibleFields,
} from './partner-resources';

jest.setTimeout(600_000);

const ROLES = ['shipper', 'consignee', 'bill-to', 'supplier'] as const;
const nat = fc.nat(40);
const parties = fc.array(fc.record({ role: fc.constantFrom(...ROLES), record: nat }), { maxLength: 2 });
const tenantIx = fc.nat(2);

/** The random world, as indexes: resolved into one tenant's customers and records by `build`. */
const worldArb = fc.record({
  tenants: fc.integer({ min: 1, max: 3 }),
  customers: fc.array(fc.record({ tenant: tenantIx, records: fc.integer({ min: 1, max: 2 }) }), {
    minLength: 1,
    maxLength: 8,
  }),
  /** Records moved to another customer of their tenant (a merge): record index → customer index. */
  moves: fc.array(fc.record({ record: nat, to: nat }), { maxLength: 3 }),
  partners: fc.array(fc.record({ tenant: tenantIx, customers: fc.uniqueArray(nat, { maxLength: 3 }) }), {
    minLength: 1,
    maxLength: 4,
  }),
  orders: fc.array(fc.record({ tenant: tenantIx, record: nat, parties }), { maxLength: 10 }),
  deliveries: fc.array(
    fc.record({ tenant: tenantIx, record: fc.option(nat), order: fc.option(nat), parties }),
    { maxLength: 8 },
  ),
  invoices: fc.array(fc.record({ tenant: tenantIx, record: nat }), { maxLength: 6 }),
  cases: fc.array(
    fc.record({
      tenant: tenantIx,
      record: fc.option(nat),
      parties,
      messages: fc.array(fc.boolean(), { maxLength: 3 }),
    }),
    { maxLength: 5 },
  ),
  stock: fc.array(fc.record({ tenant: tenantIx, record: nat }), { maxLength: 5 }),
});
type WorldSpec = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

interface Rec {
  id: string;
  tenant: string;
  source: string;
  externalId: string;
  customer: string;
  home: string;
}
type Key = string; // `${source}|${externalId}`
interface Party {
  role: string;
  key: Key;
}
interface Row {
  id: string;
  tenant: string;
  key: Key | null;
  parties: Party[];
}
interface World {
  tenants: string[];
  customers: { id: string; tenant: string }[];
  records: Rec[];
  partners: { id: string; tenant: string; customers: string[] }[];
  orders: (Row & { source: string; externalId: string })[];
  deliveries: (Row & { order: { source: string; externalId: string } | null })[];
  invoices: Row[];
  cases: (Row & { messages: { id: string; internal: boolean }[] })[];
  stock: Row[];
}

const keyOf = (r: Rec): Key => `${r.source}|${r.externalId}`;
const splitKey = (k: Key | null): [string | null, string | null] =>
  k ? (k.split('|') as [string, string]) : [null, null];

let run = 0;

/** Resolves the index spec into one world: ids, tenants, and which tenant each thing belongs to. */
function build(spec: WorldSpec): World {
  run++;
  const tenants = Array.from({ length: spec.tenants }, (_, i) => `p${run}t${i}`);
  const tenantOf = (i: number) => tenants[i % tenants.length];
  const customers = spec.customers.map((c) => ({
    id: randomUUID(),
    tenant: tenantOf(c.tenant),
    n: c.records,
  }));
  const records: Rec[] = customers.flatMap((c, ci) =>
    Array.from({ length: c.n }, (_, ri) => ({
      id: randomUUID(),
      tenant: c.tenant,
      source: ri % 2 ? 'wms-test:main' : 'erp-test:main',
      externalId: `R${run}-${ci}-${ri}`,
      customer: c.id,
      home: c.id,
    })),
  );
  for (const m of spec.moves) {
    const r = records[m.record % records.length];
    const same = customers.filter((c) => c.tenant === r.tenant);
    r.customer = same[m.to % same.length].id;
  }
  const inTenant = <T extends { tenant: string }>(list: T[], tenant: string) =>
    list.filter((x) => x.tenant === tenant);
  const pick = <T>(list: T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);
  const recordKey = (tenant: string, i: number | null) => {
    if (i === null) return null;
    const r = pick(inTenant(records, tenant), i);
    return r ? keyOf(r) : null;
  };
  const partiesOf = (tenant: string, ps: { role: string; record: number }[]) =>
    ps.flatMap((p) => {
      const key = recordKey(tenant, p.record);
      return key ? [{ role: p.role, key }] : [];
    });
  // Only tenants with customers get records: a record needs its customer.
  const withCustomers = (t: number) => inTenant(customers, tenantOf(t)).length > 0;
  const orders = spec.orders
    .filter((o) => withCustomers(o.tenant))
    .map((o, i) => {
      const tenant = tenantOf(o.tenant);
      return {
        id: randomUUID(),
        tenant,
        source: 'erp-test:main',
        externalId: `O${run}-${i}`,
        key: recordKey(tenant, o.record),
        parties: partiesOf(tenant, o.parties),
      };
    });
  const rows = (
    list: { tenant: number; record: number | null; parties?: { role: string; record: number }[] }[],
  ) =>
    list
      .filter((x) => withCustomers(x.tenant))
      .map((x) => {
        const tenant = tenantOf(x.tenant);
        return {
          id: randomUUID(),
          tenant,
          key: recordKey(tenant, x.record),
          parties: partiesOf(tenant, x.parties ?? []),
        };
      });
  return {
    tenants,
    customers: customers.map(({ id, tenant }) => ({ id, tenant })),
    records,
    partners: spec.partners
      .filter((p) => withCustomers(p.tenant))
      .map((p) => {
        const tenant = tenantOf(p.tenant);
        const own = inTenant(customers, tenant);
        return {
          id: randomUUID(),
          tenant,
          customers: [...new Set(p.customers.map((i) => own[i % own.length].id))],
        };
      }),
    orders,
    deliveries: spec.deliveries
      .filter((d) => withCustomers(d.tenant))
      .map((d) => {
        const tenant = tenantOf(d.tenant);
        const o = d.order === null ? undefined : pick(inTenant(orders, tenant), d.order);
        return {
          id: randomUUID(),
          tenant,
          key: recordKey(tenant, d.record),
          parties: partiesOf(tenant, d.parties),
          order: o ? { source: o.source, externalId: o.externalId } : null,
        };
      }),
    invoices: rows(spec.invoices),
    cases: spec.cases
      .filter((c) => withCustomers(c.tenant))
      .map((c) => {
        const tenant = tenantOf(c.tenant);
        return {
          id: randomUUID(),
          tenant,
          key: recordKey(tenant, c.record),
          parties: partiesOf(tenant, c.parties),
          messages: c.messages.map((internal) => ({ id: randomUUID(), internal })),
        };
      }),
    stock: rows(spec.stock),
  };
}

/** The rule, written again as the oracle: what partner `p` may see of `w`. */
function visibleTo(w: World, p: World['partners'][number]) {
  const linked = new Set(p.customers);
  const keys = new Set(
    w.records
      .filter((r) => r.tenant === p.tenant && (linked.has(r.customer) || linked.has(r.home)))
      .map(keyOf),
  );
  const party = (x: Row) =>
    x.tenant === p.tenant && ((x.key !== null && keys.has(x.key)) || x.parties.some((y) => keys.has(y.key)));
  const orders = w.orders.filter(party);
  const orderKeys = new Set(orders.map((o) => `${o.source}|${o.externalId}`));
  const cases = w.cases.filter(party);
  return {
    orders: new Set(orders.map((o) => o.id)),
    shipments: new Set(
      w.deliveries
        .filter(
          (d) =>
            party(d) ||
            (d.tenant === p.tenant && d.order && orderKeys.has(`${d.order.source}|${d.order.externalId}`)),
        )
        .map((d) => d.id),
    ),
    invoices: new Set(
      w.invoices.filter((x) => x.tenant === p.tenant && x.key !== null && keys.has(x.key)).map((x) => x.id),
    ),
    cases: new Set(cases.map((c) => c.id)),
    stock: new Set(
      w.stock.filter((x) => x.tenant === p.tenant && x.key !== null && keys.has(x.key)).map((x) => x.id),
    ),
    customers: new Set(
      w.customers
        .filter(
          (c) =>
            c.tenant === p.tenant &&
            (linked.has(c.id) || w.records.some((r) => r.customer === c.id && linked.has(r.home))),
        )
        .map((c) => c.id),
    ),
    messages: new Map(
      cases.map((c) => [
        c.id,
        c.messages
          .filter((m) => !m.internal)
          .map((m) => m.id)
          .sort(),
      ]),
    ),
  };
}

async function store(db: Database, w: World): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction(async (tx) => {
    const insert = async (table: string, rows: Record<string, unknown>[]) => {
      if (!rows.length) return;
      const cols = Object.keys(rows[0]);
      const params: unknown[] = [];
      const values = rows.map(
        (r) => `(${cols.map((c) => (params.push(r[c]), `$${params.length}`)).join(', ')})`,
      );
      await tx.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES ${values.join(', ')}`, params);
    };
    const party = (subject: 'order' | 'delivery', x: Row) =>
      x.parties.map((p) => {
        const [source, externalId] = splitKey(p.key);
        return {
          subject_type: subject,
          subject_id: x.id,
          role: p.role,
          customer_source: source,
          customer_external_id: externalId,
          tenant: x.tenant,
        };
      });
    const dedupe = <T extends Record<string, unknown>>(rows: T[]) => [
      ...new Map(rows.map((r) => [JSON.stringify(r), r])).values(),
    ];
    await insert(
      'crm_customer',
      w.customers.map((c, i) => ({
        id: c.id,
        tenant: c.tenant,
        name: `Customer ${run}-${i}`,
        search_name: `customer ${run}-${i}`,
      })),
    );
    await insert(
      'crm_customer_record',
      w.records.map((r) => ({
        id: r.id,
        tenant: r.tenant,
        source: r.source,
        context: 'erp',
        external_id: r.externalId,
        customer_id: r.customer,
        home_customer_id: r.home,
        data: '{}',
        source_updated_at: now,
        source_message_id: randomUUID(),
      })),
    );
    await insert(
      'auth_partner',
      w.partners.map((p, i) => ({ id: p.id, tenant: p.tenant, name: `Partner ${run}-${i}` })),
    );
    await insert(
      'auth_partner_customer',
      w.partners.flatMap((p) =>
        p.customers.map((c) => ({ partner_id: p.id, customer_id: c, tenant: p.tenant })),
      ),
    );
    await insert(
      'crm_order',
      w.orders.map((o) => {
        const [cs, ce] = splitKey(o.key);
        return {
          id: o.id,
          tenant: o.tenant,
          source: o.source,
          external_id: o.externalId,
          customer_source: cs,
          customer_external_id: ce,
          ordered_at: now,
          source_updated_at: now,
          source_message_id: randomUUID(),
          total_amount: 100,
          currency: 'EUR',
        };
      }),
    );
    await insert(
      'crm_delivery',
      w.deliveries.map((d, i) => {
        const [cs, ce] = splitKey(d.key);
        return {
          id: d.id,
          tenant: d.tenant,
          source: 'tms-test:main',
          external_id: `D${run}-${i}`,
          order_source: d.order?.source ?? null,
          order_external_id: d.order?.externalId ?? null,
          customer_source: cs,
          customer_external_id: ce,
          status: 'in_transit',
          status_at: now,
        };
      }),
    );
    await insert(
      'crm_party_link',
      dedupe([
        ...w.orders.flatMap((o) => party('order', o)),
        ...w.deliveries.flatMap((d) => party('delivery', d)),
      ]),
    );
    await insert(
      'crm_invoice',
      w.invoices.map((x, i) => {
        const [cs, ce] = splitKey(x.key);
        return {
          id: x.id,
          tenant: x.tenant,
          source: 'erp-test:main',
          external_id: `I${run}-${i}`,
          customer_source: cs,
          customer_external_id: ce,
          issued_at: now,
          due_at: now,
          currency: 'EUR',
          total_amount: 50,
          status: 'open',
          source_updated_at: now,
          source_message_id: randomUUID(),
        };
      }),
    );
    await insert(
      'crm_case',
      w.cases.map((c) => {
        const [cs, ce] = splitKey(c.key);
        return {
          id: c.id,
          tenant: c.tenant,
          type: 'damage',
          priority: 'normal',
          priority_reason: 'test',
          status: 'open',
          subject: 'damaged',
          origin: 'manual',
          customer_source: cs,
          customer_external_id: ce,
          opened_at: now,
          first_response_risk_at: now,
          first_response_due_at: now,
          resolution_risk_at: now,
          resolution_due_at: now,
          sla: '{}',
        };
      }),
    );
    await insert(
      'crm_case_party',
      dedupe(
        w.cases.flatMap((c) =>
          c.parties.map((p) => {
            const [cs, ce] = splitKey(p.key);
            return {
              case_id: c.id,
              role: p.role,
              customer_source: cs,
              customer_external_id: ce,
              tenant: c.tenant,
            };
          }),
        ),
      ),
    );
    await insert(
      'crm_case_message',
      w.cases.flatMap((c) =>
        c.messages.map((m) => ({
          id: m.id,
          case_id: c.id,
          visibility: m.internal ? 'internal' : 'customer',
          direction: 'outbound',
          author: 'cs',
          body: 'hello',
        })),
      ),
    );
    await insert(
      'crm_stock_level',
      w.stock.map((x, i) => {
        const [cs, ce] = splitKey(x.key);
        return {
          id: x.id,
          tenant: x.tenant,
          source: 'wms-test:main',
          customer_source: cs,
          customer_external_id: ce,
          warehouse: 'WH1',
          sku: `SKU-${run}-${i}`,
          status: 'available',
          quantity: 9,
          as_of: now,
        };
      }),
    );
  });
}

let app: AppWithAdmin;
const http = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** An administrator of `tenant` (what makes keys in the tests). */
const adminOf = (tenant: string): Principal => ({
  kind: 'user',
  id: randomUUID(),
  tenant,
  name: `admin of ${tenant}`,
  roles: ['admin'],
  permissions: new Set(PERMISSION_NAMES),
  partner: null,
  tokenId: null,
});

async function keyFor(tenant: string, scopes: readonly Permission[], partnerId?: string): Promise<string> {
  return (
    await app.app
      .get(AccessService)
      .createApiKey(adminOf(tenant), { name: 'test', scopes: [...scopes], partnerId })
  ).token;
}

/** Every id of a partner list, paged through 3 at a time (the cursor must neither repeat nor skip). */
async function listAll(token: string, resource: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await http()
      .get(`/partner/v1/${resource}`)
      .query({ limit: 3, ...(cursor ? { cursor } : {}) })
      .set(as(token))
      .expect(200);
    ids.push(...(res.body.items as { id: string }[]).map((x) => x.id));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return ids;
}

/** The tables partners have nothing to do with (no partner_scope condition but false). */
async function closedTables(db: Database): Promise<string[]> {
  const rows = await db.sql<{ table: string }>(
    `SELECT tablename AS "table" FROM pg_policies
      WHERE schemaname = current_schema() AND policyname = 'partner_scope' AND qual ILIKE '%false%'
      ORDER BY 1`,
  );
  return rows.map((r) => r.table);
}

/** The webhook receiver: one path per partner. */
let receiver: WebhookReceiver;

const ENV = {
  TRADELANE_RATE_LIMIT_PER_MINUTE: '0', // thousands of requests a minute, from one address
  TRADELANE_SECRET_KEYS: SecretBox.generateKeySpec('k1'), // seals webhook secrets
  TRADELANE_OUTBOUND_ALLOW: 'loopback', // the receiver is local
};

beforeAll(async () => {
  Object.assign(process.env, ENV);
  receiver = await startWebhookReceiver();
  app = await bootAppWithAdmin('partner-scope');
});
afterAll(async () => {
  for (const k of Object.keys(ENV)) delete process.env[k];
  await receiver?.close();
  await app?.close();
});

it('every table has the partner scope; those a partner has no business in show it nothing', async () => {
  const missing = await app.db.sql(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> 'migrations'
        AND NOT (c.relrowsecurity AND c.relforcerowsecurity
                 AND EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = n.nspname AND p.tablename = c.relname
                              AND p.policyname = 'partner_scope' AND p.permissive = 'RESTRICTIVE'))`,
  );
  expect(missing).toEqual([]); // a new table without the partner scope fails here
  const closed = await closedTables(app.db);
  for (const t of Object.keys(PARTNER_SEES)) expect(closed).not.toContain(t);
  expect(closed).toEqual(
    expect.arrayContaining([
      'crm_interaction',
      'dead_letter',
      'connector_instance',
      'auth_user',
      'audit_log',
      'outbox',
      'inbox',
    ]),
  );
});

it('a partner sees exactly the records its customers are a party to; staff exactly their tenant (property)', async () => {
  const closed = await closedTables(app.db);
  const tenantTables = (
    await app.db.sql<{ t: string }>(
      `SELECT DISTINCT table_name AS t FROM information_schema.columns
        WHERE column_name = 'tenant' AND table_schema = current_schema() ORDER BY 1`,
    )
  ).map((r) => r.t);
  await fc.assert(
    fc.asyncProperty(worldArb, async (spec) => {
      const w = build(spec);
      await store(app.db, w);
      const allIds = {
        orders: w.orders.map((x) => x.id),
        shipments: w.deliveries.map((x) => x.id),
        invoices: w.invoices.map((x) => x.id),
        cases: w.cases.map((x) => x.id),
        stock: w.stock.map((x) => x.id),
      };
      for (const p of w.partners) {
        const seen = visibleTo(w, p);
        const token = await keyFor(p.tenant, PARTNER_PERMISSIONS, p.id);
        for (const resource of ['orders', 'shipments', 'invoices', 'cases', 'stock'] as const) {
          const listed = await listAll(token, resource);
          expect(new Set(listed).size).toBe(listed.length); // no duplicate across pages
          if (listed.length < seen[resource].size)
            // Held back behind the list horizon: which transaction of this database holds it (CI, intermittent).
            console.warn(
              `partner ${resource} held back; transactions with an id in this database:`,
              await app.db.sql(
                `SELECT pid, state, backend_type, backend_xid::text AS xid, xact_start, left(query, 300) AS query
                   FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL`,
              ),
            );
          expect([...listed].sort()).toEqual([...seen[resource]].sort());
          if (resource === 'stock') continue; // no detail route
          for (const id of allIds[resource]) {
            const res = await http().get(`/partner/v1/${resource}/${id}`).set(as(token));
            expect({ id, status: res.status }).toEqual({ id, status: seen[resource].has(id) ? 200 : 404 });
            if (resource === 'cases' && res.status === 200)
              expect((res.body.messages as { id: string }[]).map((m) => m.id).sort()).toEqual(
                seen.messages.get(id),
              );
          }
        }
        const me = await http().get('/partner/v1/me').set(as(token)).expect(200);
        expect((me.body.customers as { id: string }[]).map((c) => c.id).sort()).toEqual(
          [...seen.customers].sort(),
        );
        // The database itself, asked without any WHERE, in a transaction set to the partner.
        const raw = await runScoped(
          p.tenant,
          () =>
            app.db.transaction(async (tx) => {
              const ids = async (table: string) =>
                ((await tx.query(`SELECT id FROM ${table}`)) as { id: string }[]).map((r) => r.id).sort();
              const counts: Record<string, number> = {};
              for (const t of closed)
                counts[t] = (
                  (await tx.query(`SELECT count(*)::int AS n FROM "${t}"`)) as { n: number }[]
                )[0].n;
              return {
                orders: await ids('crm_order'),
                shipments: await ids('crm_delivery'),
                invoices: await ids('crm_invoice'),
                cases: await ids('crm_case'),
                stock: await ids('crm_stock_level'),
                counts,
              };
            }),
          p.id,
        );
        for (const resource of ['orders', 'shipments', 'invoices', 'cases', 'stock'] as const)
          expect(raw[resource]).toEqual([...seen[resource]].sort());
        expect(Object.entries(raw.counts).filter(([, n]) => n > 0)).toEqual([]);
      }
      for (const tenant of w.tenants) {
        const staff = await keyFor(tenant, ['customers:read', 'cases:read']);
        const own = w.customers
          .filter((c) => c.tenant === tenant)
          .map((c) => c.id)
          .sort();
        const listed = await http().get('/customers').query({ limit: 200 }).set(as(staff)).expect(200);
        expect((listed.body.items as { id: string }[]).map((c) => c.id).sort()).toEqual(own);
        for (const c of w.customers) {
          const res = await http().get(`/customers/${c.id}`).set(as(staff));
          expect({ id: c.id, status: res.status }).toEqual({
            id: c.id,
            status: c.tenant === tenant ? 200 : 404,
          });
        }
        const cases = await http().get('/cases').query({ limit: 200 }).set(as(staff)).expect(200);
        expect((cases.body.items as { id: string }[]).map((c) => c.id).sort()).toEqual(
          w.cases
            .filter((c) => c.tenant === tenant)
            .map((c) => c.id)
            .sort(),
        );
        const foreign = await runScoped(tenant, () =>
          app.db.transaction(async (tx) => {
            const out: string[] = [];
            for (const t of tenantTables)
              for (const r of (await tx.query(`SELECT DISTINCT tenant FROM "${t}"`)) as { tenant: string }[])
                if (r.tenant !== tenant) out.push(`${t}: ${r.tenant}`);
            return out;
          }),
        );
        expect(foreign).toEqual([]);
      }
    }),
    { numRuns: Number(process.env.PARTNER_SCOPE_RUNS ?? 40) },
  );
});

/** The change event of each resource (what crm-core emits when such a record is written). */
const CHANGED: Record<PartnerResourceName, MessageType> = {
  orders: 'crm.order.changed.v1',
  shipments: 'crm.shipment.changed.v1',
  invoices: 'crm.invoice.changed.v1',
  cases: 'crm.case.updated.v1',
  stock: 'crm.stock.changed.v1',
};
const EVENT_OF: Record<PartnerResourceName, string> = {
  orders: 'order.changed',
  shipments: 'shipment.changed',
  invoices: 'invoice.changed',
  cases: 'case.updated',
  stock: 'stock.changed',
};
const READ_SCOPES = PARTNER_RESOURCE_NAMES.map((r) => PARTNER_RESOURCES[r].read);

it('no webhook delivery carries a record or a field its partner may not see (property)', async () => {
  let delivered = 0;
  await fc.assert(
    fc.asyncProperty(
      worldArb,
      fc.array(fc.subarray(READ_SCOPES, { minLength: 1 }), { minLength: 4, maxLength: 4 }),
      async (spec, scopeSets) => {
        const w = build(spec);
        await store(app.db, w);
        const expected = new Map<string, { resource: PartnerResourceName; id: string }[]>();
        const scopesOf = new Map<string, Set<string>>();
        for (const [i, p] of w.partners.entries()) {
          const scopes = scopeSets[i % scopeSets.length];
          scopesOf.set(p.id, new Set(scopes));
          const token = await keyFor(p.tenant, [...scopes, 'webhooks:manage'], p.id);
          await http()
            .post('/partner/v1/webhooks')
            .set(as(token))
            .send({ url: `${receiver.base}/${p.id}`, eventTypes: Object.values(EVENT_OF) })
            .expect(201);
          const seen = visibleTo(w, p);
          expected.set(
            p.id,
            PARTNER_RESOURCE_NAMES.filter((r) => scopes.includes(PARTNER_RESOURCES[r].read)).flatMap((r) =>
              [...seen[r]].map((id) => ({ resource: r, id })),
            ),
          );
        }
        // Every record of every tenant changes: one event each, through the outbox and the bus.
        const all = {
          orders: w.orders,
          shipments: w.deliveries,
          invoices: w.invoices,
          cases: w.cases,
          stock: w.stock,
        };
        const events = PARTNER_RESOURCE_NAMES.flatMap((r) =>
          all[r].map((x) =>
            createEnvelope({
              type: CHANGED[r],
              source: 'crm',
              tenant: x.tenant,
              key: x.id,
              payload: { resource: r, recordId: x.id },
            }),
          ),
        );
        await app.db.transaction((tx) =>
          app.app.get(OutboxRepository).enqueue(
            tx,
            events.map((envelope) => ({ exchange: EVENTS_EXCHANGE, envelope })),
          ),
        );
        app.app.get(OutboxRelay).wake();
        // Settled: nothing of these tenants is owed any more (dropped ones are gone, the rest delivered).
        await waitFor(
          async () => {
            if (!events.length) return true;
            const [row] = await app.db.sql<{ owed: number; published: number }>(
              `SELECT (SELECT count(*)::int FROM partner_webhook_delivery WHERE tenant = ANY ($1) AND status <> 'delivered') AS owed,
                      (SELECT count(*)::int FROM outbox WHERE message_id = ANY ($2::uuid[]) AND published_at IS NULL) AS published`,
              [w.tenants, events.map((e) => e.id)],
            );
            const inboxed = await app.db.sql(
              `SELECT 1 FROM inbox WHERE consumer = 'partner-webhooks' AND message_id = ANY ($1::uuid[])`,
              [events.map((e) => e.id)],
            );
            return row.owed === 0 && row.published === 0 && inboxed.length === events.length;
          },
          { what: 'the webhooks to settle', timeoutMs: 30_000, intervalMs: 100 },
        );
        for (const p of w.partners) {
          const got = receiver.take(`/${p.id}`);
          delivered += got.length;
          const scopes = scopesOf.get(p.id) as Set<string>;
          // Exactly the records it may see (each once), none of another partner's or tenant's.
          const gotIds = got.map((h) => `${h.type}:${String(h.data.id)}`).sort();
          const want = (expected.get(p.id) ?? []).map((x) => `${EVENT_OF[x.resource]}:${x.id}`).sort();
          expect(gotIds).toEqual(want);
          // Only the fields its scopes show (order amounts only with invoices:read).
          for (const h of got) {
            const resource = PARTNER_RESOURCE_NAMES.find(
              (r) => EVENT_OF[r] === h.type,
            ) as PartnerResourceName;
            const allowed = Object.keys(visibleFields(resource, scopes));
            for (const field of Object.keys(h.data))
              expect({ resource, field, allowed: allowed.includes(field) }).toEqual({
                resource,
                field,
                allowed: true,
              });
          }
        }
      },
    ),
    { numRuns: Number(process.env.PARTNER_WEBHOOK_RUNS ?? 15) },
  );
  expect(delivered).toBeGreaterThan(0); // the worlds did share something
});
