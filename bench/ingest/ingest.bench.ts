/**
 * bench/ingest: end-to-end ingestion of the real pipeline (RabbitMQ -> worker handler ->
 * PostgreSQL commit -> ack) next to a raw baseline (plain amqplib consume + batched INSERT ... ON
 * CONFLICT) measured in the same run on the same machine, with their ratio and every process's
 * peak RSS. Not part of the tests.
 *
 *   npm run bench:ingest -- [--messages 100000] [--paced 20000] [--rate 2000]
 *
 * Throughput: `--messages` published at full speed, timed from the first publish to the last commit.
 * Latency: `--paced` messages published at `--rate` per second; latency = commit-time row stamp
 * (clock_timestamp() inside the transaction) minus the event time stamped at publish.
 */
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { INBOUND_EXCHANGE, queueName } from '@tradelane/messaging';
import amqp from 'amqplib';
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MESSAGES = opt('messages', 100_000);
const PACED = opt('paced', 20_000);
const RATE = opt('rate', 2_000);
const TYPE = args.includes('--type') ? args[args.indexOf('--type') + 1] : 'order';
if (TYPE !== 'order' && TYPE !== 'customer') {
  console.error('--type must be order or customer');
  process.exit(1);
}
const RAW_EXCHANGE = 'bench.raw';
const RAW_QUEUE = 'bench.raw';

const DATABASE_URL = process.env.DATABASE_URL;
const AMQP_URL = process.env.AMQP_URL;
if (!DATABASE_URL || !AMQP_URL) {
  console.error('bench/ingest needs DATABASE_URL and AMQP_URL (eval "$(scripts/ensure-services.sh)")');
  process.exit(1);
}

const dist = path.resolve(__dirname, '../..');

function dbUrl(name: string): string {
  const u = new URL(DATABASE_URL as string);
  u.pathname = `/${name}`;
  return u.toString();
}

async function freshDatabase(name: string): Promise<Client> {
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const c = new Client({ connectionString: dbUrl(name) });
  await c.connect();
  return c;
}

async function resetQueues(names: string[]): Promise<void> {
  const conn = await amqp.connect(AMQP_URL as string);
  for (const q of names) {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await ch.deleteQueue(q).catch(() => undefined);
    await ch.close().catch(() => undefined);
  }
  await conn.close();
}

function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
  return kb / 1024;
}

/**
 * Orders (default): the high-volume inbound stream, one row per event. Customers: master data,
 * where every change also emits an outbound `crm.customer.*` event (outbox relay, twice the broker work).
 */
function events(n: number, prefix: string): Envelope[] {
  return Array.from({ length: n }, (_, i) =>
    TYPE === 'order'
      ? createEnvelope({
          type: 'erp.order.upserted.v1',
          source: 'erp-bench:main',
          key: `${prefix}${i}`,
          payload: {
            externalId: `${prefix}${i}`,
            customerExternalId: `C${i % 500}`,
            orderedAt: '2026-11-02T08:00:00.000Z',
            requiredAt: '2026-11-05T17:00:00.000Z',
            carrier: 'DHL Freight',
            currency: 'EUR',
            lines: [
              { sku: 'PAL-EUR-1', quantity: 4, unitPrice: 12.5 },
              { sku: 'BOX-40', quantity: 20, unitPrice: 1.75, discount: 0.1 },
            ],
          },
        })
      : createEnvelope({
          type: 'erp.customer.upserted.v1',
          source: 'erp-bench:main',
          key: `${prefix}${i}`,
          payload: {
            externalId: `${prefix}${i}`,
            name: `Bench customer ${i}`,
            city: 'Rotterdam',
            country: 'NL',
            postalCode: '3011',
          },
        }),
  );
}

/** Publishes with confirms; `rate` 0 = full speed. Stamps occurredAt at publish time. */
async function publish(exchange: string, list: Envelope[], rate: number): Promise<void> {
  const conn = await amqp.connect(AMQP_URL as string);
  const ch = await conn.createConfirmChannel();
  const started = Date.now();
  for (let i = 0; i < list.length; i++) {
    if (rate > 0) {
      const due = started + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    }
    const e = { ...list[i], occurredAt: new Date().toISOString() };
    if (!ch.publish(exchange, e.type, Buffer.from(JSON.stringify(e)), { persistent: true }))
      await new Promise((r) => ch.once('drain', r));
    if (i % 1000 === 999) await ch.waitForConfirms();
  }
  await ch.waitForConfirms();
  await conn.close();
}

async function waitForCount(db: Client, sql: string, n: number, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(sql);
    if (Number(rows[0].n) >= n) return;
    if (Date.now() > deadline) throw new Error(`timed out: ${rows[0].n}/${n}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Scenario {
  name: string;
  db: Client;
  exchange: string;
  /** Rows whose count says how many messages are committed. */
  countSql: string;
  /** Seconds from first publish to last commit for the throughput run. */
  spanSql: string;
  /** Latency per message in ms for messages with the given key prefix. */
  latencySql: string;
  child: ChildProcess;
}

interface Result {
  name: string;
  throughput: number;
  p50: number;
  p99: number;
  rssMb: number;
}

async function run(s: Scenario): Promise<Result> {
  const burst = events(MESSAGES, 'T');
  const t0 = Date.now();
  await publish(s.exchange, burst, 0);
  await waitForCount(s.db, s.countSql, MESSAGES);
  const wall = (Date.now() - t0) / 1000;
  const { rows: span } = await s.db.query(s.spanSql, [new Date(t0).toISOString()]);
  const seconds = Math.max(Number(span[0].s), 0.001);
  process.stdout.write(
    `  ${s.name}: ${MESSAGES} messages in ${seconds.toFixed(2)} s (wall ${wall.toFixed(1)} s)\n`,
  );

  await publish(s.exchange, events(PACED, 'P'), RATE);
  await waitForCount(s.db, s.countSql, MESSAGES + PACED);
  const { rows: lat } = await s.db.query(s.latencySql);
  return {
    name: s.name,
    throughput: MESSAGES / seconds,
    p50: Number(lat[0].p50),
    p99: Number(lat[0].p99),
    rssMb: peakRssMb(s.child.pid),
  };
}

/** Children are killed whatever way the bench ends, so no orphan keeps consuming the queues. */
const children = new Set<ChildProcess>();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(130);
  });
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

function startChild(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(script, [], {
    execArgv: process.env.BENCH_CPU_PROF
      ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : [],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));

  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.once('message', () => resolve(child));
    // The worker does not send 'ready': poll for its queue instead.
    if (!script.includes('raw-consumer')) {
      const poll = setInterval(async () => {
        const conn = await amqp.connect(AMQP_URL as string);
        const ch = await conn.createChannel();
        ch.on('error', () => undefined);
        const ok = await ch.checkQueue(queueName('core')).then(
          () => true,
          () => false,
        );
        await conn.close().catch(() => undefined);
        if (ok) {
          clearInterval(poll);
          resolve(child);
        }
      }, 200);
    }
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function raw(): Promise<Result> {
  const db = await freshDatabase('tradelane_bench_raw');
  await db.query(`CREATE TABLE bench_raw (id uuid PRIMARY KEY, external_id text NOT NULL, name text NOT NULL,
                  occurred_at timestamptz NOT NULL, stored_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  await resetQueues([RAW_QUEUE]);
  const conn = await amqp.connect(AMQP_URL as string);
  const ch = await conn.createChannel();
  await ch.assertExchange(RAW_EXCHANGE, 'topic', { durable: true });
  await ch.assertQueue(RAW_QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await ch.bindQueue(RAW_QUEUE, RAW_EXCHANGE, '#');
  await conn.close();
  const child = await startChild(path.join(__dirname, 'raw-consumer.js'), {
    DATABASE_URL: dbUrl('tradelane_bench_raw'),
    AMQP_URL: AMQP_URL as string,
    RAW_QUEUE,
  });
  try {
    return await run({
      name: 'raw baseline',
      db,
      exchange: RAW_EXCHANGE,
      child,
      countSql: 'SELECT count(*) AS n FROM bench_raw',
      spanSql: `SELECT extract(epoch FROM max(stored_at) - $1::timestamptz) AS s FROM bench_raw WHERE external_id LIKE 'T%'`,
      latencySql: `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
                     FROM (SELECT extract(epoch FROM stored_at - occurred_at) * 1000 AS ms FROM bench_raw WHERE external_id LIKE 'P%') t`,
    });
  } finally {
    await stop(child);
    await db.end();
  }
}

async function real(): Promise<Result> {
  const db = await freshDatabase('tradelane_bench_real');
  await resetQueues([queueName('core'), 'tradelane.dlq']);
  const child = await startChild(path.join(dist, 'apps/worker/src/main.js'), {
    DATABASE_URL: dbUrl('tradelane_bench_real'),
    AMQP_URL: AMQP_URL as string,
    WORKER_PORT: '0',
  });
  // The orders name customers C0..C499: have them exist, as they would (an order whose customer is
  // unknown is parked as a pending reference with its whole message, a different and rarer path).
  if (TYPE === 'order')
    await db.query(
      `WITH c AS (INSERT INTO crm_customer (id, tenant, name, search_name)
                  SELECT md5('c' || i)::uuid, 'default', 'C' || i, 'c' || i FROM generate_series(0, 499) i RETURNING id, name)
       INSERT INTO crm_customer_record (tenant, source, context, external_id, customer_id, home_customer_id, data,
                                        source_updated_at, source_message_id)
       SELECT 'default', 'erp-bench:main', 'erp', name, id, id, jsonb_build_object('name', name), now(), gen_random_uuid() FROM c`,
    );
  try {
    return await run({
      name: 'tradelane pipeline',
      db,
      exchange: INBOUND_EXCHANGE,
      child,
      countSql: `SELECT count(*) AS n FROM inbox WHERE consumer = 'core'`,
      spanSql: `SELECT extract(epoch FROM max(at) - $1::timestamptz) AS s FROM message_ledger WHERE key LIKE 'T%' AND status = 'processed'`,
      latencySql: `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
                     FROM (SELECT extract(epoch FROM l.at - c.source_updated_at) * 1000 AS ms
                             FROM message_ledger l JOIN ${TYPE === 'customer' ? 'crm_customer_record' : 'crm_order'} c ON c.source_message_id::text = l.message_id
                            WHERE l.status = 'processed' AND l.key LIKE 'P%') t`,
    });
  } finally {
    await stop(child);
    await db.end();
  }
}

async function main(): Promise<void> {
  console.log(
    `bench/ingest: ${TYPE} events, ${MESSAGES} at full speed, then ${PACED} paced at ${RATE}/s (node ${process.version})`,
  );
  const baseline = await raw();
  const pipeline = await real();
  const fmt = (r: Result) =>
    `${r.name.padEnd(20)} ${r.throughput.toFixed(0).padStart(8)} msg/s   p50 ${r.p50.toFixed(1).padStart(7)} ms   p99 ${r.p99
      .toFixed(1)
      .padStart(7)} ms   peak RSS ${r.rssMb.toFixed(0)} MB`;
  console.log('');
  console.log(fmt(baseline));
  console.log(fmt(pipeline));
  console.log(`publisher (this process) peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  console.log(`ratio pipeline / raw throughput: ${(pipeline.throughput / baseline.throughput).toFixed(2)}`);
  console.log(`ratio pipeline / raw p50 latency: ${(pipeline.p50 / baseline.p50).toFixed(2)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
