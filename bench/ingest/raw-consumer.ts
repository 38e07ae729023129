/**
 * Raw baseline for bench/ingest: plain amqplib consumer + batched `INSERT ... ON CONFLICT` into
 * PostgreSQL, no framework. Same batching policy as the real pipeline (up to 500 messages or 20 ms,
 * one transaction, ack-multiple after commit) and the same quorum queue type.
 * Env: DATABASE_URL, AMQP_URL, RAW_QUEUE.
 */
import amqp from 'amqplib';
import { Pool } from 'pg';

const BATCH = 500;
const WAIT_MS = 20;

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const conn = await amqp.connect(process.env.AMQP_URL as string);
  const ch = await conn.createChannel();
  const queue = process.env.RAW_QUEUE as string;
  await ch.prefetch(BATCH * 2);
  let buffer: amqp.ConsumeMessage[] = [];
  let timer: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = buffer;
    buffer = [];
    if (!batch.length) return;
    chain = chain.then(async () => {
      const rows = batch.map((m) => JSON.parse(m.content.toString('utf8')));
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO bench_raw (id, external_id, name, occurred_at)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])
           ON CONFLICT (id) DO NOTHING`,
          [
            rows.map((r) => r.id),
            rows.map((r) => r.payload.externalId),
            rows.map((r) => r.payload.name ?? r.payload.customerExternalId),
            rows.map((r) => r.occurredAt),
          ],
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      ch.ack(batch[batch.length - 1], true);
    });
  };

  await ch.consume(queue, (msg) => {
    if (!msg) return;
    buffer.push(msg);
    if (buffer.length >= BATCH) flush();
    else if (!timer) timer = setTimeout(flush, WAIT_MS);
  });
  process.on('SIGTERM', async () => {
    await chain;
    await conn.close();
    await pool.end();
    process.exit(0);
  });
  process.send?.('ready');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
