/**
 * bench/customer-360: read latency of the customer 360 and of customer search on a seeded
 * database (default 100,000 customers, 1,000,000 orders and 1,000,000 deliveries, plus their
 * delivery events, party roles, 200,000 invoices and 200,000 interactions), through the real API
 * process over HTTP, next to a raw-SQL baseline on the same data in the same run (plain `pg`, the
 * minimum a hand-written 360 needs: profile, records, order summary and ten recent orders,
 * recent deliveries, open invoices, recent interactions). Prints p50/p95/p99, the ratio, and each
 * process's peak RSS. Not part of the tests.
 *
 *   npm run bench:360 -- [--customers 100000] [--orders 1000000] [--deliveries 1000000] [--requests 2000]
 *
 * The seed is kept between runs (same sizes): pass --reseed to build it again.
 */
import { Client, Pool } from 'pg';
import { benchDatabase, log, opt, ownPeakRssMb, peakRssMb, startApi } from '../support/harness';

const CUSTOMERS = opt('customers', 100_000);
const ORDERS = opt('orders', 1_000_000);
const DELIVERIES = opt('deliveries', 1_000_000);
const SIDE = Math.round(CUSTOMERS * 2); // invoices and interactions
const REQUESTS = opt('requests', 2_000);
const PORT = opt('port', 3960);
const DB_NAME = 'tradelane_bench_360';

const SEED_MARK = `${CUSTOMERS}/${ORDERS}/${DELIVERIES}`;

/** Seeds with set-based SQL (generate_series): what ingestion would have written. Deterministic ids. */
async function seed(db: Client): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS bench_seed (mark text)`);
  const [mark] = (await db.query(`SELECT mark FROM bench_seed`)).rows;
  if (mark?.mark === SEED_MARK) {
    log(`seed ${SEED_MARK} already there (pass --reseed to rebuild)`);
    return;
  }
  await db.query(
    `TRUNCATE crm_customer, crm_customer_record, crm_customer_identifier, crm_order, crm_party_link, crm_delivery,
              crm_delivery_event, crm_invoice, crm_interaction, bench_seed`,
  );
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const t = Date.now();
    const r = await db.query(sql, params);
    log(
      `seeded ${what}: ${r.rowCount?.toLocaleString('en')} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
  };
  const N = CUSTOMERS;
  const name = `'Customer ' || lpad(i::text, 6, '0') || ' ' || (ARRAY['Logistics','Freight','Trading','Foods','Retail'])[1 + i % 5]`;
  const city = `(ARRAY['Hamburg','Rotterdam','Lyon','Milan','Gdansk'])[1 + i % 5]`;
  const prov = (v: string) =>
    `jsonb_build_object('value', ${v}, 'source', 'erp-bench:main', 'sourceId', 'C' || i, 'at', '2026-01-01T00:00:00.000Z')`;
  await step(
    'customers',
    `INSERT INTO crm_customer (id, tenant, name, search_name, vat_id, email, city, postal_code, country, provenance)
     SELECT md5('c' || i)::uuid, 'default', ${name}, lower(${name}), 'DE' || lpad(i::text, 9, '0'),
            'ap@c' || i || '.example', ${city}, lpad((i % 99999)::text, 5, '0'), 'DE',
            jsonb_build_object('name', ${prov(name)}, 'vatId', ${prov(`'DE' || lpad(i::text, 9, '0')`)}, 'city', ${prov(city)})
       FROM generate_series(0, $1 - 1) i`,
    [N],
  );
  await step(
    'customer records (ERP for all, TMS for one in five)',
    `INSERT INTO crm_customer_record (id, tenant, source, context, external_id, customer_id, home_customer_id, data,
                                      source_updated_at, source_message_id)
     SELECT md5('r' || i)::uuid, 'default', 'erp-bench:main', 'erp', 'C' || i, md5('c' || i)::uuid, md5('c' || i)::uuid,
            jsonb_build_object('name', ${name}, 'vatId', 'DE' || lpad(i::text, 9, '0'), 'city', ${city}),
            timestamptz '2026-01-01', gen_random_uuid()
       FROM generate_series(0, $1 - 1) i
     UNION ALL
     SELECT md5('t' || i)::uuid, 'default', 'tms-bench:main', 'tms', 'T' || i, md5('c' || i)::uuid, md5('t' || i)::uuid,
            jsonb_build_object('name', ${name}), timestamptz '2026-01-02', gen_random_uuid()
       FROM generate_series(0, $1 - 1, 5) i`,
    [N],
  );
  await step(
    'identifiers',
    `INSERT INTO crm_customer_identifier (record_id, scheme, value, tenant)
     SELECT id, 'erp-customer-no', external_id, tenant FROM crm_customer_record WHERE context = 'erp'
     UNION ALL SELECT id, 'vat', data->>'vatId', tenant FROM crm_customer_record WHERE data ? 'vatId'`,
  );
  // 7919 is prime to the customer count: orders spread evenly, ten per customer by default.
  await step(
    'orders',
    `INSERT INTO crm_order (tenant, source, external_id, customer_source, customer_external_id, status, ordered_at,
                            required_at, shipped_at, carrier, currency, total_amount, lines, source_updated_at,
                            source_message_id)
     SELECT 'default', 'erp-bench:main', 'SO' || i, 'erp-bench:main', 'C' || ((i::bigint * 7919) % $2), 'confirmed',
            timestamptz '2025-01-01' + (i % 365) * interval '1 day', timestamptz '2025-01-08' + (i % 365) * interval '1 day',
            timestamptz '2025-01-03' + (i % 365) * interval '1 day', 'Speedy Express', 'EUR', (i % 997) + 0.5,
            '[{"sku":"A","quantity":1,"unitPrice":10}]', '2026-01-01', gen_random_uuid()
       FROM generate_series(0, $1 - 1) i`,
    [ORDERS, N],
  );
  await step(
    'party roles (a consignee, another customer, on one order in four)',
    `INSERT INTO crm_party_link (subject_type, subject_id, role, customer_source, customer_external_id, tenant)
     SELECT 'order', id, 'consignee', customer_source, 'C' || ((substr(customer_external_id, 2)::int + 1) % $1), tenant
       FROM crm_order WHERE substr(external_id, 3)::int % 4 = 0`,
    [N],
  );
  await step(
    'deliveries (half name their customer, all name their order)',
    `INSERT INTO crm_delivery (tenant, source, external_id, order_source, order_external_id, customer_source,
                               customer_external_id, status, status_at, carrier, tracking_refs, promised_to, delivered_at)
     SELECT 'default', 'tms-bench:main', 'SH' || i, 'erp-bench:main', 'SO' || (i % $2),
            CASE WHEN i % 2 = 1 THEN 'erp-bench:main' END,
            CASE WHEN i % 2 = 1 THEN 'C' || (((i % $2)::bigint * 7919) % $3) END,
            (ARRAY['IN_TRANSIT','DELIVERED','DELIVERED','DELIVERED','EXCEPTION'])[1 + i % 5],
            timestamptz '2025-01-04' + (i % 365) * interval '1 day', 'Speedy Express', jsonb_build_array('JJD' || i),
            timestamptz '2025-01-06' + (i % 365) * interval '1 day',
            CASE WHEN i % 5 IN (1, 2, 3) THEN timestamptz '2025-01-05' + (i % 365) * interval '1 day' END
       FROM generate_series(0, $1 - 1) i`,
    [DELIVERIES, ORDERS, N],
  );
  await step(
    'delivery events (one per delivery)',
    `INSERT INTO crm_delivery_event (message_id, tenant, source, delivery_external_id, status, occurred_at, payload)
     SELECT gen_random_uuid(), tenant, source, external_id, status, status_at,
            jsonb_build_object('externalId', external_id, 'status', status, 'location', 'Hub')
       FROM crm_delivery`,
  );
  await step(
    'invoices',
    `INSERT INTO crm_invoice (tenant, source, external_id, customer_source, customer_external_id, issued_at, due_at,
                              currency, total_amount, paid_amount, status, source_updated_at, source_message_id)
     SELECT 'default', 'erp-bench:main', 'INV' || i, 'erp-bench:main', 'C' || ((i::bigint * 7919) % $2),
            timestamptz '2025-06-01' + (i % 180) * interval '1 day', timestamptz '2025-07-01' + (i % 180) * interval '1 day',
            'EUR', 100 + i % 900, CASE WHEN i % 3 = 0 THEN 100 + i % 900 ELSE 0 END,
            CASE WHEN i % 3 = 0 THEN 'PAID' ELSE 'OPEN' END, '2026-01-01', gen_random_uuid()
       FROM generate_series(0, $1 - 1) i`,
    [SIDE, N],
  );
  await step(
    'interactions',
    `INSERT INTO crm_interaction (tenant, source, external_id, customer_source, customer_external_id, channel, direction,
                                  subject, occurred_at, source_updated_at, source_message_id)
     SELECT 'default', 'email-bench:inbox', '<m' || i || '@bench>', 'erp-bench:main', 'C' || ((i::bigint * 7919) % $2),
            'email', 'inbound', 'Question about order SO' || i, timestamptz '2025-01-01' + (i % 365) * interval '1 day',
            timestamptz '2025-01-01' + (i % 365) * interval '1 day', gen_random_uuid()
       FROM generate_series(0, $1 - 1) i`,
    [SIDE, N],
  );
  const t = Date.now();
  await db.query(`VACUUM ANALYZE`);
  log(`vacuum analyze in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  await db.query(`INSERT INTO bench_seed VALUES ($1)`, [SEED_MARK]);
}

/** The raw baseline: a hand-written 360 over plain pg, queries side by side on a pool. */
async function raw360(pool: Pool, id: string): Promise<number> {
  const [c, r] = await Promise.all([
    pool.query(`SELECT * FROM crm_customer WHERE id = $1`, [id]),
    pool.query(`SELECT source, external_id FROM crm_customer_record WHERE customer_id = $1`, [id]),
  ]);
  const s = r.rows.map((x) => x.source);
  const e = r.rows.map((x) => x.external_id);
  const refs = `WITH refs AS (SELECT * FROM unnest($1::text[], $2::text[]) AS r(source, external_id))`;
  const res = await Promise.all([
    pool.query(
      `${refs} SELECT count(*), sum(total_amount) FROM crm_order o
          JOIN refs ON o.customer_source = refs.source AND o.customer_external_id = refs.external_id
         WHERE o.tenant = 'default'`,
      [s, e],
    ),
    pool.query(
      `${refs} SELECT o.* FROM crm_order o JOIN refs ON o.customer_source = refs.source AND o.customer_external_id = refs.external_id
        WHERE o.tenant = 'default' ORDER BY o.ordered_at DESC LIMIT 10`,
      [s, e],
    ),
    pool.query(
      `${refs} SELECT d.* FROM crm_delivery d
         JOIN crm_order o ON d.tenant = o.tenant AND d.order_source = o.source AND d.order_external_id = o.external_id
         JOIN refs ON o.customer_source = refs.source AND o.customer_external_id = refs.external_id
        WHERE o.tenant = 'default' ORDER BY d.status_at DESC LIMIT 10`,
      [s, e],
    ),
    pool.query(
      `${refs} SELECT i.* FROM crm_invoice i JOIN refs ON i.customer_source = refs.source AND i.customer_external_id = refs.external_id
        WHERE i.tenant = 'default' AND i.status IN ('OPEN', 'PARTIALLY_PAID') ORDER BY i.due_at DESC LIMIT 10`,
      [s, e],
    ),
    pool.query(
      `${refs} SELECT x.* FROM crm_interaction x JOIN refs ON x.customer_source = refs.source AND x.customer_external_id = refs.external_id
        WHERE x.tenant = 'default' ORDER BY x.occurred_at DESC LIMIT 20`,
      [s, e],
    ),
  ]);
  return c.rowCount! + res.length;
}

async function rawSearch(pool: Pool, q: string): Promise<number> {
  const r = await pool.query(
    `SELECT c.id, c.name FROM (
        SELECT id FROM crm_customer WHERE tenant = 'default' AND search_name LIKE $1
        UNION
        SELECT r.customer_id FROM crm_customer_identifier i JOIN crm_customer_record r ON r.id = i.record_id
         WHERE i.tenant = 'default' AND i.value = $2
        UNION
        SELECT customer_id FROM crm_customer_record WHERE tenant = 'default' AND external_id = $2) hit
      JOIN crm_customer c ON c.id = hit.id
      WHERE c.status = 'active' ORDER BY c.search_name, c.id LIMIT 25`,
    [`${q.toLowerCase()}%`, q],
  );
  return r.rowCount ?? 0;
}

function percentiles(ms: number[]): { p50: number; p95: number; p99: number; mean: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  return { p50: at(50), p95: at(95), p99: at(99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function time(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(50, n); i++) await fn(i); // warm-up
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

async function getJson(url: string, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

async function main(): Promise<void> {
  log(
    `customers ${CUSTOMERS.toLocaleString('en')}, orders ${ORDERS.toLocaleString('en')}, deliveries ${DELIVERIES.toLocaleString('en')}, requests ${REQUESTS}`,
  );
  const dbUrl = await benchDatabase(DB_NAME, 'bench/customer-360');
  // Local mode: a request without credentials is the local administrator (no lookup, as before
  // authentication existed); one with an API key is authenticated as every deployment's is.
  const api = await startApi(dbUrl, PORT, {
    TRADELANE_AUTH: 'local',
    TRADELANE_RATE_LIMIT_PER_MINUTE: '1000000', // counted, never reached: the bench is one client asking fast
  }); // migrates the fresh database
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  await seed(db);
  await db.end();

  // Random customers (deterministic sample) and search terms of every kind.
  const pick = (i: number) => (i * 104_729 + 17) % CUSTOMERS;
  const pool = new Pool({ connectionString: dbUrl, max: 10 });
  const ids = (
    await pool.query(`SELECT md5('c' || i)::uuid AS id FROM unnest($1::int[]) i`, [
      Array.from({ length: REQUESTS }, (_, i) => pick(i)),
    ])
  ).rows.map((r) => r.id as string);
  const terms = Array.from({ length: REQUESTS }, (_, i) => {
    const n = pick(i);
    switch (i % 3) {
      case 0:
        return `Customer ${String(n).padStart(6, '0').slice(0, 5)}`; // name prefix, ~10 matches
      case 1:
        return `DE${String(n).padStart(9, '0')}`; // VAT
      default:
        return `C${n}`; // ERP customer number
    }
  });
  const base = `http://127.0.0.1:${PORT}`;
  const sample = (await getJson(`${base}/customers/${ids[0]}`)) as { orders: { count: number } };
  log(`sample 360: ${sample.orders.count} orders; measuring...`);
  const made = await fetch(`${base}/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', scopes: ['customers:read'] }),
  });
  if (!made.ok) throw new Error(`POST /api-keys: HTTP ${made.status} ${await made.text()}`);
  const key = { authorization: `Bearer ${((await made.json()) as { token: string }).token}` };

  const rows = [
    [
      '360',
      await time(REQUESTS, (i) => getJson(`${base}/customers/${ids[i]}`)),
      await time(REQUESTS, (i) => raw360(pool, ids[i])),
    ],
    [
      'search',
      await time(REQUESTS, (i) => getJson(`${base}/customers?q=${encodeURIComponent(terms[i])}`)),
      await time(REQUESTS, (i) => rawSearch(pool, terms[i])),
    ],
  ] as const;
  // With and without an API key (token looked up per request), the same requests interleaved in
  // one loop, so neither side gets the warmer cache: same process, same data.
  const pair = async (url: (i: number) => string) => {
    const off: number[] = [];
    const on: number[] = [];
    for (let i = 0; i < REQUESTS; i++)
      for (const [out, headers] of [
        [off, {}],
        [on, key],
      ] as const) {
        const t = process.hrtime.bigint();
        await getJson(url(i), headers);
        out.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    return { off, on };
  };
  const authed = [
    await pair((i) => `${base}/customers/${ids[i]}`),
    await pair((i) => `${base}/customers?q=${encodeURIComponent(terms[i])}`),
  ];
  await pool.end();
  console.log('');
  console.log('                 Tradelane API (HTTP)              raw SQL (pg, same data)        ratio p95');
  for (const [what, api_, raw_] of rows) {
    const a = percentiles(api_);
    const r = percentiles(raw_);
    const f = (p: ReturnType<typeof percentiles>) =>
      `p50 ${p.p50.toFixed(1).padStart(5)}  p95 ${p.p95.toFixed(1).padStart(5)}  p99 ${p.p99.toFixed(1).padStart(5)} ms`;
    console.log(`${what.padEnd(8)} ${f(a)}   ${f(r)}   ${(r.p95 / a.p95).toFixed(2)} (raw/api)`);
  }
  console.log('\nwith and without authentication (an API key), interleaved, against the same process:');
  for (const [k, what] of ['360', 'search'].entries()) {
    const off = percentiles(authed[k].off);
    const on = percentiles(authed[k].on);
    console.log(
      `${what.padEnd(8)} p95 ${on.p95.toFixed(1).padStart(5)} ms with a key, ${off.p95.toFixed(1).padStart(5)} ms without: ` +
        `${(on.p95 / off.p95).toFixed(2)}x (target <= 1.10x)`,
    );
  }
  const p95 = percentiles(rows[0][1]).p95;
  console.log(`\n360 p95 ${p95.toFixed(1)} ms: ${p95 < 50 ? 'within' : 'OVER'} the 50 ms target`);
  console.log(
    `peak RSS: api ${peakRssMb(api.pid).toFixed(0)} MB, bench driver (this process) ${ownPeakRssMb().toFixed(0)} MB`,
  );
  api.kill('SIGTERM');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
