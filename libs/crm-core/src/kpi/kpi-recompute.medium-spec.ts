/**
 * A full KPI recompute after a bulk load is a background job with its progress: it answers at once
 * (202), takes over the changed records the incremental refresh has not done yet (instead of
 * waiting for it to work through them), one runs per tenant (409 for a second), its phase and step
 * are readable while it runs, and the result equals the incremental refresh's.
 * Real: PostgreSQL, the app (handlers, HTTP, jobs) on the in-process bus. Mocked: nothing.
 */
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { AppOnDatabase, bootAppOnNewDatabase, publishAndSettle, waitFor } from '@tradelane/testing';
import { Client } from 'pg';
import request from 'supertest';
import { KpiRecomputeService } from './kpi-recompute.service';

jest.setTimeout(60_000);

let app: AppOnDatabase;
let http: ReturnType<typeof request>;
const TMS = 'tms-recompute:main';

beforeAll(async () => {
  process.env.CRM_KPI_REFRESH_SECONDS = '3600'; // the backlog stays: nothing refreshes it behind the test's back
  app = await bootAppOnNewDatabase('kpi_recompute');
  http = request(app.app.getHttpServer());
});
afterAll(async () => {
  delete process.env.CRM_KPI_REFRESH_SECONDS;
  await app?.app.get(KpiRecomputeService).idle();
  await app?.close();
});

const ev = (type: string, payload: Record<string, unknown>, occurredAt: string): Envelope =>
  createEnvelope({
    type: type as never,
    source: TMS,
    key: String(payload.externalId),
    occurredAt,
    payload: payload as never,
  });

it('runs in the background with its progress, takes over the backlog, and refuses a second one', async () => {
  const events: Envelope[] = [
    ev('tms.customer.upserted.v1', { externalId: 'C1', name: 'Backlog Ltd' }, '2026-11-01T00:00:00Z'),
  ];
  for (let i = 0; i < 300; i++) {
    const promised = new Date(Date.UTC(2026, 10, 2 + (i % 20), 12)).toISOString();
    const delivered = new Date(Date.parse(promised) + (i % 3 === 0 ? 3_600_000 : -3_600_000)).toISOString();
    events.push(
      ev(
        'tms.delivery.status-changed.v1',
        {
          externalId: `D-${i}`,
          customerExternalId: 'C1',
          status: 'DELIVERED',
          promisedTo: promised,
          deliveredAt: delivered,
        },
        delivered,
      ),
    );
  }
  await publishAndSettle(app, events);
  const backlog = async () =>
    (await app.database.db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM crm_kpi_dirty`))[0].n;
  expect(await backlog()).toBeGreaterThanOrEqual(300);

  // An incremental refresh holds the KPI lock: the recompute is started (202) and waits its turn.
  const refresher = new Client({ connectionString: app.database.url });
  await refresher.connect();
  await refresher.query('BEGIN');
  await refresher.query(`SELECT pg_advisory_xact_lock(hashtext('tradelane:kpi-refresh'))`);
  let id: string;
  try {
    const started = await http.post('/kpis/recompute').expect(202);
    expect(started.body).toMatchObject({ tenant: 'default', state: 'running', step: 0, steps: 6 });
    id = started.body.id;
    const running = await http.get(`/kpis/recomputes/${id}`).expect(200);
    expect(running.body).toMatchObject({ state: 'running', facts: 0 });
    const second = await http.post('/kpis/recompute').expect(409);
    expect(second.body.message).toContain(
      `a recompute of tenant default is running: GET /kpis/recomputes/${id}`,
    );
  } finally {
    await refresher.query('COMMIT');
    await refresher.end();
  }

  const done = await waitFor(
    async () => {
      const r = await http.get(`/kpis/recomputes/${id}`).expect(200);
      return r.body.state !== 'running' ? r.body : undefined;
    },
    { what: 'the recompute done' },
  );
  expect(done).toMatchObject({ state: 'done', phase: 'done', step: 6, steps: 6, error: null });
  expect(done.takenOver).toBeGreaterThanOrEqual(300); // the backlog, covered by the recompute
  expect(done.facts).toBeGreaterThanOrEqual(300);
  expect(await backlog()).toBe(0);

  // The values are what the incremental refresh would have computed: 200 of 300 on time in November.
  const customer = (await http.get('/customers?q=Backlog').expect(200)).body.items[0];
  const kpis = (
    await http.get(`/customers/${customer.id}/kpis?period=month&from=2026-11-01&to=2026-11-01`).expect(200)
  ).body.values as { kpi: string; n: number; value: number }[];
  expect(kpis.find((v) => v.kpi === 'on_time_delivery')).toMatchObject({ n: 300, value: 0.666667 });

  const list = await http.get('/kpis/recomputes').expect(200);
  expect(list.body[0]).toMatchObject({ id, state: 'done' });
  await http.post('/kpis/recompute?wait=true').expect(200);
});
