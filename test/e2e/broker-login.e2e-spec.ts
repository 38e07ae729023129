/**
 * A refused broker login is visible where an operator looks: the log line and /health name the
 * cause (not only "broker not reachable"), and /health gives no host, port or password.
 * Real: the compiled api, PostgreSQL, RabbitMQ refusing a wrong password. Mocked: nothing.
 */
import {
  createTestDatabase,
  ensureBuilt,
  freePort,
  startApp,
  TestDatabase,
  testServices,
  waitFor,
} from '@tradelane/testing';

jest.setTimeout(90_000);

const services = testServices();
let database: TestDatabase;

beforeAll(async () => {
  ensureBuilt();
  database = await createTestDatabase(services.databaseUrl, 'broker_login');
});

afterAll(() => database?.drop());

it('names a refused login in the log and in /health', async () => {
  const url = new URL(services.amqpUrl);
  url.password = 'not-the-password-7731';
  const port = await freePort();
  const api = startApp('api', {
    PORT: String(port),
    DATABASE_URL: database.url,
    AMQP_URL: url.toString(),
    TRADELANE_SAMPLE: 'off',
    LOG_LEVEL: 'info',
  });
  try {
    const health = await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        return res?.status === 503
          ? ((await res.json()) as { details: { broker: Record<string, string> } })
          : undefined;
      },
      { timeoutMs: 60_000, what: '/health answering 503' },
    );
    expect(health.details.broker).toMatchObject({
      status: 'down',
      kind: 'rabbitmq',
      cause: 'auth-refused',
      message: expect.stringMatching(/refused the login \(ACCESS_REFUSED\)/),
    });
    const text = JSON.stringify(health);
    expect(text).not.toContain(url.hostname);
    expect(text).not.toContain(url.port || '5672');
    expect(text).not.toContain('not-the-password-7731');
    await waitFor(
      async () =>
        /RabbitMQ connection failed: the broker refused the login \(ACCESS_REFUSED\)/.test(api.fullOutput()),
      {
        what: 'the log line naming the refused login',
      },
    );
    expect(api.fullOutput()).not.toContain('not-the-password-7731');
  } finally {
    api.child.kill('SIGKILL');
    await api.exited;
  }
});
