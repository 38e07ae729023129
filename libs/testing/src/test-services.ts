/** Real PostgreSQL and RabbitMQ for medium and e2e tests (set up by `scripts/ensure-services.sh`). */
export function testServices(): { databaseUrl: string; amqpUrl: string; rabbitmqctl?: string } {
  const databaseUrl = process.env.DATABASE_URL;
  const amqpUrl = process.env.AMQP_URL;
  if (!databaseUrl || !amqpUrl)
    throw new Error(
      'medium/e2e tests need a real PostgreSQL and RabbitMQ: run `npm test` (it starts them), or ' +
        'eval "$(scripts/ensure-services.sh)" first, or set DATABASE_URL and AMQP_URL',
    );
  return { databaseUrl, amqpUrl, rabbitmqctl: process.env.TRADELANE_TEST_RABBITMQCTL };
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
