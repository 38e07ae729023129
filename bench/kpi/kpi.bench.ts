/**
 * bench/kpi: service KPIs for a seeded 3PL (default 10,000 customers, 500,000 orders, 1,000,000
 * deliveries, 100,000 invoices, 20,000 warehouse counts, 2,000 damage cases), through the real API
 * process:
 *   - full recompute (POST /kpis/recompute: every fact of 9 KPIs derived again, values per
 *     customer × KPI × day/week/month written with targets), next to ONE raw SQL aggregate over the
 *     same delivery rows (on-time / delivered / damaged per customer and month, nothing written);
 *   - incremental update after one late event (a delivery's time corrected, marked as the handler
 *     marks it, POST /kpis/refresh), next to the raw aggregate for that customer's month.
 * Prints times, ratios and each process's peak RSS. Not part of the tests.
 *
 *   npm run bench:kpi -- [--customers 10000] [--deliveries 1000000] [--updates 20] [--reseed]
 */
import { Client } from 'pg';
import { benchDatabase, log, opt, ownPeakRssMb, peakRssMb, startApi } from '../support/harness';

const CUSTOMERS = opt('customers', 10_000);
const DELIVERIES = opt('deliveries', 1_000_000);
const ORDERS = Math.round(DELIVERIES / 2);
const UPDATES = opt('updates', 20);
const PORT = opt('port', 3961);
const SEED_MARK = `kpi:${CUSTOMERS}/${DELIVERIES}`;

async function seed(db: Client): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS bench_seed (mark text)`);
  const [mark] = (await db.query(`SELECT mark FROM bench_seed`)).rows;
  if (mark?.mark === SEED_MARK) return log(`seed ${SEED_MARK} already there (pass --reseed to rebuild)`);
  await db.query(
    `TRUNCATE crm_customer, crm_customer_record, crm_order, crm_delivery, crm_invoice, crm_inventory_count, crm_case,
              crm_kpi_fact, crm_kpi_value, crm_kpi_dirty, bench_seed`,
  );
  const step = async (what: string, sql: string, params: unknown[]) => {
    const t = Date.now();
    const r = await db.query(sql, params);
    log(
      `seeded ${what}: ${r.rowCount?.toLocaleString('en')} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
  };
  await step(
    'customers',
    `INSERT INTO crm_customer (id, tenant, name, search_name, provenance)
     SELECT md5('c' || i)::uuid, 'default', 'Customer ' || i, 'customer ' || i, '{}' FROM generate_series(0, $1 - 1) i`,
    [CUSTOMERS],
  );
  await step(
    'customer records',
    `INSERT INTO crm_customer_record (id, tenant, source, context, external_id, customer_id, home_customer_id, data,
                                      source_updated_at, source_message_id)
     SELECT md5('r' || i)::uuid, 'default', 'erp-bench:main', 'erp', 'C' || i, md5('c' || i)::uuid, md5('c' || i)::uuid,
            '{}', timestamptz '2026-01-01', gen_random_uuid() FROM generate_series(0, $1 - 1) i`,
    [CUSTOMERS],
  );
  await step(
    'orders (one line in ten shipped short)',
    `INSERT INTO crm_order (tenant, source, external_id, customer_source, customer_external_id, ordered_at, lines,
                            source_updated_at, source_message_id)
     SELECT 'default', 'erp-bench:main', 'SO' || i, 'erp-bench:main', 'C' || ((i::bigint * 7919) % $2),
            timestamptz '2026-01-01' + (i % 300) * interval '1 day' + (i % 24) * interval '1 hour',
            jsonb_build_array(jsonb_build_object('sku', 'A', 'quantity', 10, 'unitPrice', 1,
              'quantityShipped', CASE WHEN i % 10 = 0 THEN 8 ELSE 10 END)),
            '2026-01-01', gen_random_uuid()
       FROM generate_series(0, $1 - 1) i`,
    [ORDERS, CUSTOMERS],
  );
  await step(
    'deliveries (two per order; one in seven late, one in fifty an exception; half name their customer)',
    `INSERT INTO crm_delivery (tenant, source, external_id, order_source, order_external_id, customer_source,
                               customer_external_id, status, status_at, promised_to, delivered_at)
     SELECT 'default', 'tms-bench:main', 'SH' || i, 'erp-bench:main', 'SO' || (i / 2),
            CASE WHEN i % 2 = 1 THEN 'erp-bench:main' END,
            CASE WHEN i % 2 = 1 THEN 'C' || (((i / 2)::bigint * 7919) % $2) END,
            CASE WHEN i % 50 = 0 THEN 'EXCEPTION' ELSE 'DELIVERED' END, o + interval '2 days',
            o + interval '3 days',
            CASE WHEN i % 50 <> 0 THEN o + interval '2 days' + CASE WHEN i % 7 = 0 THEN interval '2 days' ELSE interval '0' END END
       FROM generate_series(0, $1 - 1) i,
            LATERAL (SELECT timestamptz '2026-01-01' + ((i / 2) % 300) * interval '1 day' + ((i / 2) % 24) * interval '1 hour' AS o) t`,
    [DELIVERIES, CUSTOMERS],
  );
  await step(
    'invoices (one in forty disputed)',
    `INSERT INTO crm_invoice (tenant, source, external_id, customer_source, customer_external_id, issued_at, due_at,
                              currency, total_amount, paid_amount, status, disputed, source_updated_at, source_message_id)
     SELECT 'default', 'erp-bench:main', 'INV' || i, 'erp-bench:main', 'C' || ((i::bigint * 7919) % $2),
            timestamptz '2026-01-01' + (i % 300) * interval '1 day', timestamptz '2026-02-01' + (i % 300) * interval '1 day',
            'EUR', 100, 0, 'OPEN', i % 40 = 0, '2026-01-01', gen_random_uuid()
       FROM generate_series(0, $1 - 1) i`,
    [CUSTOMERS * 10, CUSTOMERS],
  );
  await step(
    'warehouse counts',
    `INSERT INTO crm_inventory_count (tenant, source, external_id, customer_source, customer_external_id, sku, counted_at,
                                      system_quantity, counted_quantity, source_updated_at, source_message_id)
     SELECT 'default', 'wms-bench:main', 'CC' || i, 'erp-bench:main', 'C' || (i % $2), 'SKU' || i,
            timestamptz '2026-01-01' + (i % 300) * interval '1 day', 100, CASE WHEN i % 25 = 0 THEN 99 ELSE 100 END,
            '2026-01-01', gen_random_uuid()
       FROM generate_series(0, $1 - 1) i`,
    [CUSTOMERS * 2, CUSTOMERS],
  );
  await step(
    'damage cases (on deliveries)',
    `INSERT INTO crm_case (tenant, type, priority, priority_reason, status, subject, origin, customer_source,
                           customer_external_id, delivery_source, delivery_external_id, opened_at, first_response_risk_at,
                           first_response_due_at, resolution_risk_at, resolution_due_at, sla)
     SELECT 'default', 'damage', 'high', 'bench', 'open', 'Damage', 'api', d.customer_source, d.customer_external_id,
            d.source, d.external_id, d.status_at, d.status_at, d.status_at, d.status_at, d.status_at, '{}'
       FROM crm_delivery d WHERE d.external_id IN (SELECT 'SH' || (i * 499) FROM generate_series(0, $1 - 1) i)`,
    [Math.round(DELIVERIES / 500)],
  );
  await db.query(`VACUUM ANALYZE`);
  await db.query(`INSERT INTO bench_seed VALUES ($1)`, [SEED_MARK]);
}

/** The raw baseline: one aggregate over the deliveries, per customer and month, nothing written. */
const RAW = (oneCustomer: boolean) => `
  SELECT r.customer_id, date_trunc('month', coalesce(d.delivered_at, d.status_at), 'UTC') AS month,
         count(*) FILTER (WHERE d.status = 'DELIVERED') AS delivered,
         count(*) FILTER (WHERE d.status = 'DELIVERED' AND d.delivered_at <= d.promised_to) AS on_time,
         count(*) FILTER (WHERE k.id IS NOT NULL) AS damaged
    FROM crm_delivery d
    LEFT JOIN crm_order o ON o.tenant = d.tenant AND o.source = d.order_source AND o.external_id = d.order_external_id
    JOIN crm_customer_record r ON r.tenant = d.tenant AND r.source = coalesce(d.customer_source, o.customer_source)
     AND r.external_id = coalesce(d.customer_external_id, o.customer_external_id)
    LEFT JOIN crm_case k ON k.tenant = d.tenant AND k.delivery_source = d.source AND k.delivery_external_id = d.external_id
   WHERE d.tenant = 'default' ${oneCustomer ? `AND r.customer_id = $1 AND coalesce(d.delivered_at, d.status_at) >= $2 AND coalesce(d.delivered_at, d.status_at) < $2::timestamptz + interval '1 month'` : ''}
   GROUP BY 1, 2`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
}

async function post(url: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, { method: 'POST' });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dbUrl = await benchDatabase('tradelane_bench_kpi', 'bench/kpi');
  // The API's own refresh job is slowed down so the bench's refresh is the one measured.
  const api = await startApi(dbUrl, PORT, {
    CRM_KPI_REFRESH_SECONDS: '3600',
    CRM_SLA_SWEEP_SECONDS: '3600',
    TRADELANE_AUTH: 'local', // the bench calls the API from this machine as its administrator
  });
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  await seed(db);
  const base = `http://127.0.0.1:${PORT}`;

  log('raw aggregate over all deliveries (warm-up, then measured)');
  await db.query(RAW(false));
  const [rawMs, raw] = await timed(() => db.query(RAW(false)));
  log(`full recompute through the API (POST /kpis/recompute?wait=true)`);
  const [fullMs, full] = await timed(() => post(`${base}/kpis/recompute?wait=true`));
  const facts = full.facts as number;
  const values = full.values as number;

  // Incremental: late events that move a delivery from late to on time, one at a time.
  const late = (
    await db.query(
      `SELECT d.id, d.promised_to, r.customer_id, date_trunc('month', d.delivered_at, 'UTC') AS month
         FROM crm_delivery d JOIN crm_order o ON o.source = d.order_source AND o.external_id = d.order_external_id
         JOIN crm_customer_record r ON r.source = o.customer_source AND r.external_id = o.customer_external_id
        WHERE d.status = 'DELIVERED' AND d.delivered_at > d.promised_to LIMIT $1`,
      [UPDATES],
    )
  ).rows as { id: string; promised_to: Date; customer_id: string; month: Date }[];
  const incMs: number[] = [];
  const rawIncMs: number[] = [];
  let changed = 0;
  for (const d of late) {
    const value = async () =>
      Number(
        (
          await db.query(
            `SELECT value FROM crm_kpi_value WHERE customer_id = $1 AND kpi = 'on_time_delivery' AND period = 'month' AND period_start = $2::date`,
            [d.customer_id, d.month.toISOString().slice(0, 10)],
          )
        ).rows[0]?.value,
      );
    const before = await value();
    // What the delivery handler's transaction writes for a correcting event.
    await db.query(`UPDATE crm_delivery SET delivered_at = promised_to - interval '1 hour' WHERE id = $1`, [
      d.id,
    ]);
    await db.query(
      `INSERT INTO crm_kpi_dirty (subject_kind, subject_id, tenant) VALUES ('delivery', $1, 'default')`,
      [d.id],
    );
    const [ms] = await timed(() => post(`${base}/kpis/refresh`));
    incMs.push(ms);
    if ((await value()) > before) changed++;
    const [rms] = await timed(() => db.query(RAW(true), [d.customer_id, d.month]));
    rawIncMs.push(rms);
  }

  const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(1)} ms`);
  console.log('');
  console.log(
    `bench/kpi: ${CUSTOMERS.toLocaleString('en')} customers, ${DELIVERIES.toLocaleString('en')} deliveries, ${ORDERS.toLocaleString('en')} orders`,
  );
  console.log(
    `  full recompute (9 KPIs, ${facts.toLocaleString('en')} facts, ${values.toLocaleString('en')} values day/week/month): ${fmt(fullMs)}`,
  );
  console.log(`    steps: ${JSON.stringify(full.timings)}`);
  console.log(
    `  raw single SQL aggregate (3 delivery KPIs per customer and month, ${raw.rowCount?.toLocaleString('en')} rows, nothing written): ${fmt(rawMs)}`,
  );
  console.log(`  ratio full / raw: ${(fullMs / rawMs).toFixed(1)}x`);
  console.log(
    `  incremental after one late event (median of ${incMs.length}): ${fmt(median(incMs))} (raw aggregate for that customer-month ${fmt(median(rawIncMs))}, ratio ${(median(incMs) / median(rawIncMs)).toFixed(1)}x); value changed in ${changed}/${late.length}`,
  );
  console.log(
    `  peak RSS: api ${peakRssMb(api.pid).toFixed(0)} MB, bench driver ${ownPeakRssMb().toFixed(0)} MB`,
  );
  await db.end();
  api.kill('SIGTERM');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
