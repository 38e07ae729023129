/**
 * bench/webhooks: partner webhook delivery. Starts the real API from dist (in-process bus, its
 * dispatcher) on its own PostgreSQL database and a local receiver in this process that answers
 * 204, subscribes a partner to order.changed, then measures in the same run:
 *   1. throughput: N crm.order.changed events put in the outbox at once, until the receiver has
 *      all N (fan-out, body from the partner's view, signing, POST, delivery log), next to a plain
 *      HTTP client (axios, keep-alive, the same concurrency) POSTing the same bodies: deliveries/s
 *      and the ratio;
 *   2. latency: events committed one at a time at --rate per second for --seconds: p50/p95/p99 of
 *      the delay from the commit to the receiver having it.
 * Prints peak RSS of the API process and of this one. Not part of the tests.
 *
 *   npm run bench:webhooks -- [--events 5000] [--rate 200] [--seconds 15]
 */
import axios from 'axios';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { args, benchDatabase, log, opt, ownPeakRssMb, peakRssMb, startApi } from '../support/harness';

const EVENTS = opt('events', 5_000);
const RATE = opt('rate', 200);
const SECONDS = opt('seconds', 15);
const PORT = opt('port', 3963);
const CONCURRENCY = 16;
const ORDERS = 1_000;

/** When each webhook-id arrived (and its body, for the baseline). */
const arrived = new Map<string, number>();
const bodies: Buffer[] = [];

async function receiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? '');
      if (id && !arrived.has(id)) {
        arrived.set(id, Date.now());
        if (bodies.length < EVENTS) bodies.push(Buffer.concat(chunks));
      }
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function seed(db: Client): Promise<{ customer: string; orders: string[] }> {
  await db.query(
    `TRUNCATE crm_customer, crm_customer_record, crm_order, partner_webhook_delivery, partner_webhook_attempt`,
  );
  const customer = (
    await db.query<{ id: string }>(
      `INSERT INTO crm_customer (id, tenant, name, search_name, provenance)
       VALUES (gen_random_uuid(), 'default', 'Bench customer', 'bench customer', '{}') RETURNING id`,
    )
  ).rows[0].id;
  await db.query(
    `INSERT INTO crm_customer_record (id, tenant, source, context, external_id, customer_id, home_customer_id, data,
                                      source_updated_at, source_message_id)
     VALUES (gen_random_uuid(), 'default', 'erp-bench:main', 'erp', 'BENCH', $1, $1, '{}', '2026-01-01', gen_random_uuid())`,
    [customer],
  );
  const rows = await db.query<{ id: string }>(
    `INSERT INTO crm_order (tenant, source, external_id, customer_source, customer_external_id, status, ordered_at, lines,
                            source_updated_at, source_message_id)
     SELECT 'default', 'erp-bench:main', 'SO' || i, 'erp-bench:main', 'BENCH', 'OPEN', '2026-01-01',
            '[{"sku":"A","quantity":1,"unitPrice":1}]', '2026-01-01', gen_random_uuid()
       FROM generate_series(1, $1) i RETURNING id`,
    [ORDERS],
  );
  return { customer, orders: rows.rows.map((r) => r.id) };
}

function envelope(orderId: string) {
  const id = uuidv7();
  return {
    id,
    type: 'crm.order.changed.v1',
    source: 'crm',
    tenant: 'default',
    occurredAt: new Date().toISOString(),
    correlationId: id,
    causationId: null,
    key: orderId,
    payload: { resource: 'orders', recordId: orderId },
  };
}

async function enqueue(db: Client, envelopes: ReturnType<typeof envelope>[]): Promise<void> {
  await db.query(
    `INSERT INTO outbox (message_id, exchange, type, key, envelope)
     SELECT (e->>'id')::uuid, 'tradelane.events', e->>'type', e->>'key', e FROM jsonb_array_elements($1::jsonb) e`,
    [JSON.stringify(envelopes)],
  );
}

async function until(what: string, done: () => boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main(): Promise<void> {
  // A fresh database every run: figures on a database grown by earlier runs are not comparable.
  if (!args.includes('--reseed')) args.push('--reseed');
  const dbUrl = await benchDatabase('tradelane_bench_webhooks', 'bench:webhooks');
  const hook = await receiver();
  const api = await startApi(dbUrl, PORT, {
    TRADELANE_AUTH: 'local',
    TRADELANE_OUTBOUND_ALLOW: 'loopback',
    TRADELANE_SECRET_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    TRADELANE_RATE_LIMIT_PER_MINUTE: '0',
    TRADELANE_WEBHOOK_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'warn',
  });
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  const base = `http://127.0.0.1:${PORT}`;
  try {
    const { customer, orders } = await seed(db);
    const call = async (method: string, path: string, body: unknown, token?: string) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const partner = await call('POST', '/partners', {
      name: `Bench partner ${Date.now()}`,
      customerIds: [customer],
    });
    const key = await call('POST', '/api-keys', {
      name: 'bench hooks',
      scopes: ['orders:read', 'webhooks:manage'],
      partnerId: partner.id,
    });
    await call(
      'POST',
      '/partner/v1/webhooks',
      { url: `${hook.url}/hook`, eventTypes: ['order.changed'] },
      String(key.token),
    );
    log(`api up, partner subscribed; ${ORDERS} orders of its customer`);

    // 1. Throughput.
    arrived.clear();
    const batch = Array.from({ length: EVENTS }, (_, i) => envelope(orders[i % orders.length]));
    const t0 = Date.now();
    await enqueue(db, batch);
    await until('the deliveries', () => batch.every((e) => arrived.has(e.id)));
    const oursMs = Date.now() - t0;

    const client = axios.create({
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }),
      validateStatus: () => true,
    });
    const sample = bodies.slice(0, EVENTS);
    let next = 0;
    const t1 = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < sample.length) {
          const body = sample[next++];
          await client.post(`${hook.url}/raw`, body, {
            headers: { 'content-type': 'application/json', 'webhook-id': `raw-${next}` },
          });
        }
      }),
    );
    const rawMs = Date.now() - t1;
    const ours = EVENTS / (oursMs / 1000);
    const raw = sample.length / (rawMs / 1000);

    // 2. Latency at RATE events/s, one commit each.
    arrived.clear();
    const committed = new Map<string, number>();
    const total = RATE * SECONDS;
    const t2 = Date.now();
    for (let i = 0; i < total; i++) {
      const due = t2 + (i * 1000) / RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const e = envelope(orders[i % orders.length]);
      await enqueue(db, [e]);
      committed.set(e.id, Date.now());
    }
    const offeredRate = total / ((Date.now() - t2) / 1000);
    await until('the paced deliveries', () => [...committed.keys()].every((id) => arrived.has(id)));
    const delays = [...committed].map(([id, at]) => (arrived.get(id) as number) - at).sort((a, b) => a - b);

    console.log('');
    console.log(`bench/webhooks: ${EVENTS.toLocaleString('en')} order.changed events to one local receiver`);
    console.log(
      `  plain HTTP client (axios, keep-alive, ${CONCURRENCY} at once, same bodies): ${Math.round(raw).toLocaleString('en')} POSTs/s (${rawMs} ms)`,
    );
    console.log(
      `  Tradelane (outbox -> bus -> fan-out -> partner view -> sign -> POST -> log): ${Math.round(ours).toLocaleString('en')} deliveries/s (${oursMs} ms)`,
    );
    console.log(`  ratio Tradelane / plain client: ${(ours / raw).toFixed(2)}`);
    console.log(
      `  commit -> delivered at ${offeredRate.toFixed(0)} events/s for ${SECONDS} s (${delays.length} events): ` +
        `p50 ${pct(delays, 50)} ms, p95 ${pct(delays, 95)} ms, p99 ${pct(delays, 99)} ms, max ${delays[delays.length - 1]} ms`,
    );
    console.log(
      `  peak RSS: api ${peakRssMb(api.pid).toFixed(0)} MB, bench + receiver ${ownPeakRssMb().toFixed(0)} MB`,
    );
  } finally {
    await db.end();
    api.kill('SIGTERM');
    await hook.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
