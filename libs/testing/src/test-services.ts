/** Real PostgreSQL and RabbitMQ for medium and e2e tests (set up by `scripts/ensure-services.sh`). */
export function testServices(): { databaseUrl: string; amqpUrl: string; rabbitmqctl?: string } {
  const databaseUrl = process.env.DATABASE_URL;
  const amqpUrl = process.env.AMQP_URL;
  if (!databaseUrl || !amqpUrl)
    throw new Error(
      'medium/e2e tests need a real PostgreSQL and RabbitMQ: run `npm test` (it starts them), or ' +
        'eval "$(scripts/ensure-services.sh)" first, or set DATABASE_URL and AMQP_URL',
    );
  return { databaseUrl, amqpUrl: workerVhost(amqpUrl), rabbitmqctl: process.env.TRADELANE_TEST_RABBITMQCTL };
}

/**
 * With TRADELANE_TEST_VHOST_PER_WORKER=1 (scripts/test-all.sh creates `<vhost>_w1`, `<vhost>_w2`...
 * when it runs RabbitMQ itself), each Jest worker gets a vhost of its own, so suites running side
 * by side never see each other's queues, exchanges or queue clean-up. Databases are already one
 * per suite (createTestDatabase).
 */
function workerVhost(amqpUrl: string): string {
  const worker = process.env.JEST_WORKER_ID;
  if (process.env.TRADELANE_TEST_VHOST_PER_WORKER !== '1' || !worker) return amqpUrl;
  const url = new URL(amqpUrl);
  const vhost = decodeURIComponent(url.pathname.slice(1)) || 'tradelane';
  url.pathname = `/${encodeURIComponent(`${vhost}_w${worker}`)}`;
  return url.toString();
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
