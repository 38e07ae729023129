/**
 * bench/backfill: live latency while a connector backfill runs. The compiled worker consumes live
 * order events published to tradelane.inbound at a steady rate; first alone (the baseline, same
 * run), then while an example-http instance backfills 100,000 customers from a local REST source on
 * the backfill lane. Prints live p50/p95/p99 in both phases and their ratio (the aim: p95 within
 * 2x), the backfill's throughput, the outbound CRM events it caused (must be 0), and peak RSS.
 * Not part of the tests.
 *
 *   npm run bench:backfill -- [--records 100000] [--rate 300] [--seconds 20] [--page 500]
 */
import { createEnvelope } from '@tradelane/contracts';
import { ExampleSource } from '@tradelane/example-http/testing';
import { INBOUND_EXCHANGE, queueName } from '@tradelane/messaging';
import amqp from 'amqplib';
import { ChildProcess, execFile, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RECORDS = opt('records', 100_000);
const RATE = opt('rate', 300);
const SECONDS = opt('seconds', 20);
const PAGE = opt('page', 500);
const DB = 'tradelane_bench_backfill';
const TOKEN = 'bench-backfill-token';
const KEYS = `kbench:${Buffer.alloc(32, 7).toString('base64')}`;

const { DATABASE_URL, AMQP_URL } = process.env;
if (!DATABASE_URL || !AMQP_URL) {
  console.error('bench/backfill needs DATABASE_URL and AMQP_URL (eval "$(scripts/ensure-services.sh)")');
  process.exit(1);
}
const dbUrl = (() => {
  const u = new URL(DATABASE_URL);
  u.pathname = `/${DB}`;
  return u.toString();
})();
const dist = path.resolve(__dirname, '../..');
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

async function freshDatabase(): Promise<void> {
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
}

async function resetQueues(): Promise<void> {
  const conn = await amqp.connect(AMQP_URL as string);
  const ch = await conn.createChannel();
  for (const q of [queueName('core'), queueName('core-backfill')])
    await ch.purgeQueue(q).catch(() => undefined);
  await conn.close();
}

const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  DATABASE_URL: dbUrl,
  AMQP_URL,
  TRADELANE_SECRET_KEYS: KEYS,
  TRADELANE_OUTBOUND_ALLOW: 'loopback', // the source system runs on this machine
};
const cli = (...a: string[]) =>
  promisify(execFile)(process.execPath, [path.join(dist, 'apps/cli/src/main.js'), ...a], {
    env: env as NodeJS.ProcessEnv,
  });

function startWorker(): ChildProcess {
  const child = fork(path.join(dist, 'apps/worker/src/main.js'), [], {
    env: { ...env, LOG_LEVEL: 'warn', WORKER_PORT: '0', CONNECTOR_TICK_MS: '200', OUTBOX_POLL_MS: '50' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  return child;
}

/** Publishes `RATE` live orders a second for `SECONDS`, key prefix `prefix`, event time = publish time. */
async function live(prefix: string): Promise<number> {
  const conn = await amqp.connect(AMQP_URL as string);
  const ch = await conn.createConfirmChannel();
  const perTick = Math.max(1, Math.round(RATE / 20));
  const end = Date.now() + SECONDS * 1000;
  let i = 0;
  while (Date.now() < end) {
    const t = Date.now();
    for (let k = 0; k < perTick; k++, i++) {
      const e = createEnvelope({
        type: 'erp.order.upserted.v1',
        source: 'erp-bench:live',
        key: `${prefix}${i}`,
        payload: {
          externalId: `${prefix}${i}`,
          customerExternalId: `L${i % 100}`,
          orderedAt: new Date().toISOString(),
        },
      });
      ch.publish(INBOUND_EXCHANGE, e.type, Buffer.from(JSON.stringify(e)), { persistent: true });
    }
    await ch.waitForConfirms();
    await sleep(Math.max(0, 50 - (Date.now() - t)));
  }
  await conn.close();
  return i;
}

async function latency(db: Client, prefix: string) {
  const { rows } = await db.query(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, count(*) AS n
       FROM (SELECT extract(epoch FROM l.at - o.source_updated_at) * 1000 AS ms
               FROM message_ledger l JOIN crm_order o ON o.source_message_id::text = l.message_id
              WHERE l.status = 'processed' AND l.consumer = 'core' AND l.key LIKE $1) t`,
    [`${prefix}%`],
  );
  return {
    p50: Number(rows[0].p50),
    p95: Number(rows[0].p95),
    p99: Number(rows[0].p99),
    n: Number(rows[0].n),
  };
}

async function waitFor(db: Client, sql: string, target: number, what: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    if (Number((await db.query(sql)).rows[0].n) >= target) return;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main(): Promise<void> {
  log(
    `backfill ${RECORDS.toLocaleString('en')} records (page ${PAGE}) while live orders flow at ${RATE}/s for ${SECONDS} s`,
  );
  await freshDatabase();
  await resetQueues();
  const source = new ExampleSource(TOKEN);
  source.seed(RECORDS, 0, Date.now() - 30 * 86_400_000);
  const baseUrl = await source.start();
  await cli('migrate');
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  // The live orders' customers exist (the normal case).
  await db.query(
    `WITH c AS (INSERT INTO crm_customer (id, tenant, name, search_name)
                SELECT md5('l' || i)::uuid, 'default', 'L' || i, 'l' || i FROM generate_series(0, 99) i RETURNING id, name)
     INSERT INTO crm_customer_record (tenant, source, context, external_id, customer_id, home_customer_id, data,
                                      source_updated_at, source_message_id)
     SELECT 'default', 'erp-bench:live', 'erp', name, id, id, jsonb_build_object('name', name), now(), gen_random_uuid() FROM c`,
  );
  await cli(
    'connectors',
    'add',
    'example-http',
    '--name',
    'history',
    '--paused',
    '--config',
    JSON.stringify({ baseUrl, apiToken: TOKEN, pageSize: PAGE }),
  );
  const worker = startWorker();
  await sleep(4_000); // boot

  log('phase 1: live only');
  const sentA = await live('A');
  await waitFor(db, `SELECT count(*) AS n FROM crm_order WHERE external_id LIKE 'A%'`, sentA, 'live orders');
  const alone = await latency(db, 'A');

  log('phase 2: live while the backfill runs');
  const eventsBefore = Number(
    (await db.query(`SELECT count(*) AS n FROM outbox WHERE exchange = 'tradelane.events'`)).rows[0].n,
  );
  const t0 = Date.now();
  await cli('connectors', 'backfill', 'example-http:history');
  const backfillDone = waitFor(
    db,
    `SELECT count(*) AS n FROM crm_customer_record WHERE source = 'example-http:history'`,
    RECORDS,
    'the backfill',
  ).then(() => Date.now());
  const sentB = await live('B');
  await waitFor(db, `SELECT count(*) AS n FROM crm_order WHERE external_id LIKE 'B%'`, sentB, 'live orders');
  const during = await latency(db, 'B');
  const doneAt = await backfillDone;
  await sleep(2_000);
  const events =
    Number(
      (await db.query(`SELECT count(*) AS n FROM outbox WHERE exchange = 'tradelane.events'`)).rows[0].n,
    ) - eventsBefore;
  const backfillSeconds = (doneAt - t0) / 1000;
  const overlap = Math.min(1, backfillSeconds / SECONDS);

  const f = (l: typeof alone) =>
    `p50 ${l.p50.toFixed(1).padStart(6)}  p95 ${l.p95.toFixed(1).padStart(6)}  p99 ${l.p99.toFixed(1).padStart(6)} ms  (${l.n} orders)`;
  console.log('');
  console.log(`live alone             ${f(alone)}`);
  console.log(`live during backfill   ${f(during)}`);
  console.log(`ratio live p95 during / alone: ${(during.p95 / alone.p95).toFixed(2)} (aim: <= 2)`);
  console.log(
    `backfill: ${RECORDS.toLocaleString('en')} records in ${backfillSeconds.toFixed(1)} s = ${Math.round(RECORDS / backfillSeconds).toLocaleString('en')} records/s; it overlapped ${(overlap * 100).toFixed(0)}% of the live phase`,
  );
  console.log(`outbound CRM events caused by the backfill: ${events}`);
  console.log(
    `peak RSS: worker ${peakRssMb(worker.pid).toFixed(0)} MB, bench (source + publisher) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  worker.kill('SIGTERM');
  await db.end();
  await source.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
