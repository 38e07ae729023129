/**
 * `npm start` with nothing configured: api + worker in one process on PGlite and the in-process bus,
 * loading the bundled Northwind sample through the whole pipeline.
 * Real: the compiled api app, PGlite, the in-process bus. Mocked: nothing. No PostgreSQL/RabbitMQ used.
 */
import { ensureBuilt, freePort, launchBrowser, startApp, waitFor } from '@tradelane/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

jest.setTimeout(120_000);

let dataDir: string;

beforeAll(() => {
  ensureBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tradelane-embedded-'));
});

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

it('boots on the embedded default, loads the sample and serves it within a minute', async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  // No DATABASE_URL, no AMQP_URL: exactly what a newcomer has.
  const api = startApp('api', { PORT: String(port), TRADELANE_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  // /health once a second through the whole first start, as a load balancer (and the newcomer
  // check) would ask: the sample's load and first classification must not hold the process.
  const slowest = { ms: 0, status: 0 };
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const t = performance.now();
      const status = await fetch(`${base}/health`, { signal: AbortSignal.timeout(15_000) })
        .then((r) => r.status)
        .catch(() => 0);
      const ms = performance.now() - t;
      if (status && ms > slowest.ms) Object.assign(slowest, { ms, status });
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  try {
    const alfki = await waitFor(
      async () => {
        const page = await json<{ items: { id: string }[] }>(`${base}/customers?q=ALFKI`);
        if (!page.items.length) return undefined;
        const view = await json<{ orders: { count: number } }>(`${base}/customers/${page.items[0].id}`);
        return view.orders.count === 6 ? view : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'ALFKI with its 6 orders' },
    ).catch((err) => {
      throw new Error(`${(err as Error).message}\n${api.output()}`);
    });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(alfki).toMatchObject({ orders: { count: 6, totalAmount: '4273.0000' } });

    // ... and in the browser at /: the console opens (the local administrator needs no log-in here).
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      await page.getByLabel(/Search by name/).fill('ALFKI');
      await page.getByRole('link', { name: 'Alfreds Futterkiste' }).click();
      await page.getByTestId('metric-orders').getByText('6', { exact: true }).waitFor();
    } finally {
      await browser.close();
    }
    expect(Date.now() - started).toBeLessThan(60_000);

    const all = await json<{ total: number }>(`${base}/customers?limit=1`);
    expect(all.total).toBe(91);
    expect(api.fullOutput()).toMatch(/EMBEDDED: database \(PGlite\), bus \(in-process\)/);

    const health = await json<{ status: string; info: Record<string, { kind: string }> }>(`${base}/health`);
    expect(health).toMatchObject({
      status: 'ok',
      info: { database: { kind: 'pglite' }, broker: { kind: 'in-process' } },
    });
    const openapi = await json<{ paths: Record<string, unknown> }>(`${base}/docs-json`);
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/customers', '/ledger', '/dead-letters', '/health']),
    );
    // The partner API's own document: its operations only.
    const partnerDoc = await json<{ info: { title: string }; paths: Record<string, unknown> }>(
      `${base}/partner/docs-json`,
    );
    expect(partnerDoc.info.title).toBe('Tradelane partner API');
    expect(Object.keys(partnerDoc.paths).length).toBeGreaterThan(8);
    expect(Object.keys(partnerDoc.paths).filter((p) => !p.startsWith('/partner/v1'))).toEqual([]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /tradelane_messages_in_total\{consumer="core",type="erp.order.upserted.v1",outcome="processed"\} 830/,
    );

    // The first screen of ALFKI's 360 shows every feature, computed by the product from the sample.
    const id = (alfki as unknown as { profile: { id: string } }).profile.id;
    type View = {
      deliveries: { total: number; onTime: { delivered: number; onTime: number; share: number | null } };
      invoices: { openCount: number };
      cases: { open: number; recent: { type: string; status: string; resolutionDueAt: string }[] };
      segment: { lifecycle: string; abc: string } | null;
    };
    const full = await waitFor(
      async () => {
        const v = await json<View>(`${base}/customers/${id}`);
        return v.segment && v.cases.open ? v : undefined;
      },
      { timeoutMs: 60_000, what: "ALFKI's segment and case" },
    );
    expect(full.deliveries.total).toBe(6);
    expect(full.deliveries.onTime).toEqual({ delivered: 6, onTime: 6, share: 1 });
    expect(full.invoices.openCount).toBeGreaterThanOrEqual(1);
    expect(full.cases.recent[0]).toMatchObject({ type: 'damage', status: 'new' });
    // A running clock: resolution still due in the future.
    expect(Date.parse(full.cases.recent[0].resolutionDueAt)).toBeGreaterThan(Date.now());
    expect(full.segment?.lifecycle).toMatch(/^(formation|stable|decline)$/);
    // On-time delivery per month, from the refresh job (every 2 s).
    await waitFor(
      async () =>
        (
          await json<{ values: { kpi: string; n: number }[] }>(`${base}/customers/${id}/kpis?period=month`)
        ).values.some((v) => v.kpi === 'on_time_delivery' && v.n > 0),
      { timeoutMs: 30_000, what: "ALFKI's on-time KPI" },
    );
    const churn = await json<{ flagged: { name: string; reason: string }[] }>(`${base}/churn-warnings`);
    expect(churn.flagged.length).toBeGreaterThan(0);
    expect(churn.flagged[0].reason).toMatch(/fell|rising|down/);

    polling = false;
    await poller;
    // Before the upkeep went ahead of queued work, one answer took 7-8 s (the first classification
    // planned on stale statistics) and some were 503.
    console.warn(`slowest /health during the first start: ${Math.round(slowest.ms)} ms (${slowest.status})`);
    expect(slowest.ms).toBeLessThan(4_000);

    const bad = await fetch(`${base}/ledger?limit=0`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/limit must not be less than 1/);
  } finally {
    polling = false;
    api.child.kill('SIGTERM');
    await api.exited;
  }
  // A restart on the same data folder keeps the data and does not load the sample twice.
  const again = startApp('api', { PORT: String(port), TRADELANE_DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  try {
    const page = await waitFor(
      () => json<{ total: number }>(`${base}/customers?limit=1`).catch(() => undefined),
      {
        timeoutMs: 30_000,
        what: 'restart',
      },
    );
    expect(page.total).toBe(91);
    expect(again.fullOutput()).not.toMatch(/sample: published/);
  } finally {
    again.child.kill('SIGTERM');
    await again.exited;
  }
});
