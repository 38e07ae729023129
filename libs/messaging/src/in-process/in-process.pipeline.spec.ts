/**
 * The embedded default end to end: PGlite + the in-process bus, with the same semantics as
 * RabbitMQ: retry with delays, dead letter with reason, redrive exactly once, invalid input kept.
 * Real: PGlite (embedded PostgreSQL, same migrations), the Nest app, handlers. Mocked: nothing.
 */
import { INBOUND_EXCHANGE, RedriveService } from '@tradelane/messaging';
import {
  bootTestApp,
  PROBE_CONTRACT,
  PROBE_TABLE_SQL,
  probeBehaviour,
  probeEnvelope,
  ProbeHandler,
  TestApp,
  waitFor,
} from '@tradelane/testing';

jest.setTimeout(60_000);

let app: TestApp;

const sql = <T>(q: string, p: unknown[] = []) => app.db.sql<T>(q, p);
const effects = async (probeId: string) =>
  Number(
    (await sql<{ n: string }>('SELECT count(*) AS n FROM test_probe WHERE probe_id = $1', [probeId]))[0].n,
  );
const statuses = async (id: string) =>
  (
    await sql<{ status: string }>('SELECT status FROM message_ledger WHERE message_id = $1 ORDER BY seq', [
      id,
    ])
  ).map((r) => r.status);

beforeAll(async () => {
  app = await bootTestApp({
    database: { kind: 'pglite', dataDir: 'memory://', poolSize: 1, logging: false },
    messaging: { retry: { delaysMs: [30, 60] } },
    controllers: [ProbeHandler],
    contracts: [PROBE_CONTRACT],
  });
  await sql(PROBE_TABLE_SQL);
});

afterAll(() => app?.close());

beforeEach(() => probeBehaviour.reset());

it('retries, dead-letters with the reason, and redrives exactly once on PGlite and the in-process bus', async () => {
  probeBehaviour.transientFailures.set('p-flaky', 1);
  probeBehaviour.permanent.add('p-refused');
  const flaky = probeEnvelope('p-flaky');
  const refused = probeEnvelope('p-refused');
  await app.bus.publish(INBOUND_EXCHANGE, flaky as never);
  await app.bus.publish(INBOUND_EXCHANGE, refused as never);
  await app.bus.publishRaw(INBOUND_EXCHANGE, {
    body: Buffer.from('not json'),
    routingKey: 'test.probe.recorded.v1',
    headers: {},
  });

  await waitFor(async () => (await effects('p-flaky')) === 1, { what: 'retry success' });
  expect(await statuses(flaky.id)).toEqual(['received', 'retrying', 'processed']);
  await waitFor(async () => (await statuses(refused.id)).includes('dead-lettered'), { what: 'dead letter' });
  const [dead] = await sql<{ error_code: string; error_field: string }>(
    'SELECT error_code, error_field FROM dead_letter WHERE message_id = $1',
    [refused.id],
  );
  expect(dead).toEqual({ error_code: 'PROBE_REFUSED', error_field: 'payload.probeId' });
  const invalid = await waitFor(
    async () =>
      (
        await sql<{ error_code: string }>(
          `SELECT error_code FROM dead_letter WHERE message_id LIKE 'sha256:%'`,
        )
      )[0],
    { what: 'invalid message kept' },
  );
  expect(invalid.error_code).toBe('INVALID_MESSAGE');

  probeBehaviour.reset();
  const redrive = app.app.get(RedriveService);
  expect((await redrive.redrive({ messageId: refused.id })).redriven).toHaveLength(1);
  await waitFor(async () => (await effects('p-refused')) === 1, { what: 'redriven effect' });

  expect((await redrive.redrive({ messageId: refused.id })).redriven).toHaveLength(0);
  expect(await effects('p-refused')).toBe(1);
});
