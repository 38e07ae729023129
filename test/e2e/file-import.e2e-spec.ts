/**
 * A team's first data as a CSV, on the embedded default as a newcomer runs it: a file-import
 * instance added with the CLI, a dry run that reports the bad row by row and column before anything
 * is written, then 4,000 orders with their deliveries loaded through the CLI (--api, the app
 * running). The bad row is a dead letter naming file, row and column; a delivery promised for a
 * date (written as midnight, as exports do) and delivered later that day counts on time; two-year-
 * old late deliveries open no case.
 * Real: the compiled api and CLI, PGlite on disk, the in-process bus. Mocked: nothing.
 */
import { AppProcess, ensureBuilt, freePort, runCli, startApp, untilHealthy } from '@tradelane/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

jest.setTimeout(600_000); // the waits below fail when the import stops moving, not on a clock

const ORDERS = 4_000;
const CUSTOMERS = 40;
const BAD = 2_499; // its delivered_at is not a date: CSV row 2501 (the header is row 1)

let work: string;
let dataDir: string;
let base: string;
let port: number;
let api: AppProcess | undefined;

const MAPPING = {
  nullValues: ['NULL'],
  records: [
    {
      type: 'customer.upserted',
      key: 'customer_id',
      occurredAt: 'purchased_at',
      fields: { externalId: 'customer_id', name: 'customer_name', city: 'customer_city' },
    },
    {
      type: 'order.upserted',
      occurredAt: 'purchased_at',
      fields: {
        externalId: 'order_id',
        customerExternalId: 'customer_id',
        orderedAt: 'purchased_at',
        lines: { each: { sku: 'sku', quantity: 'qty', unitPrice: 'price' } },
      },
    },
    {
      type: 'delivery.status-changed',
      when: 'delivered_at',
      occurredAt: 'delivered_at',
      fields: {
        externalId: { template: 'D-{order_id}' },
        orderExternalId: 'order_id',
        customerExternalId: 'customer_id',
        status: { column: 'status', map: { delivered: 'DELIVERED', shipped: 'IN_TRANSIT' } },
        promisedDate: 'estimated_delivery_date',
        promiseZone: { value: 'America/Sao_Paulo' },
        deliveredAt: 'delivered_at',
      },
    },
  ],
};

/** 4,000 orders of 2018 (Olist-like): the promise is a date written as midnight; one in four is a day late. */
function ordersCsv(): string {
  const lines = [
    'order_id,customer_id,customer_name,customer_city,purchased_at,sku,qty,price,status,estimated_delivery_date,delivered_at',
  ];
  for (let i = 0; i < ORDERS; i++) {
    const day = new Date(Date.UTC(2018, 0, 1) + (i % 300) * 86_400_000);
    const promised = day.toISOString().slice(0, 10);
    const purchased = new Date(day.getTime() - 5 * 86_400_000).toISOString().slice(0, 10);
    const late = Math.floor(i / CUSTOMERS) % 4 === 3; // every customer: one order in four a day late
    const delivered = late
      ? `${new Date(day.getTime() + 86_400_000).toISOString().slice(0, 10)} 09:00:00`
      : `${promised} 16:20:00`; // later on the promised day (Sao Paulo time = 19:20Z)
    const c = i % CUSTOMERS;
    lines.push(
      [
        `O-${String(i).padStart(5, '0')}`,
        `C-${c}`,
        `Customer ${c}`,
        'Sao Paulo',
        `${purchased} 10:00:00`,
        `SKU-${i % 7}`,
        String(1 + (i % 3)),
        '19.90',
        'delivered',
        `${promised} 00:00:00`,
        i === BAD ? '2018-13-45 10:00:00' : delivered,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

async function json<T>(pathname: string): Promise<T> {
  const res = await fetch(`${base}${pathname}`).catch((err: Error) => {
    throw new Error(
      `${pathname}: ${err.message} (${String((err.cause as Error | undefined)?.message ?? err.cause)})`,
    );
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${pathname}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/**
 * Waits for the running api to get somewhere: fails when `progress` has not moved for `stallMs`
 * (a loaded machine takes longer, a stuck import never gets there), or when the api is gone; the
 * error says which, with the api's last output.
 */
async function whileApiRuns<T>(
  check: () => Promise<{ done: T | undefined; progress: number }>,
  { stallMs, what }: { stallMs: number; what: string },
): Promise<T> {
  let progress = -1;
  let movedAt = Date.now();
  let last: unknown;
  while (Date.now() - movedAt < stallMs && api?.child.exitCode === null) {
    try {
      const r = await check();
      if (r.done !== undefined) return r.done;
      if (r.progress !== progress) [progress, movedAt] = [r.progress, Date.now()];
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const state =
    api?.child.exitCode !== null
      ? `exited (code ${api?.child.exitCode}, signal ${api?.child.signalCode})`
      : `still running, stuck at ${progress} for ${stallMs} ms`;
  throw new Error(
    `waiting for ${what}: api ${state}${last ? ` (last error: ${(last as Error).message})` : ''}; its last output:\n${api?.output().slice(-6000)}`,
  );
}

beforeAll(async () => {
  ensureBuilt();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tradelane-file-import-'));
  dataDir = path.join(work, 'data');
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  fs.writeFileSync(path.join(work, 'orders.csv'), ordersCsv());
  fs.writeFileSync(path.join(work, 'import.json'), JSON.stringify({ mapping: MAPPING }));
});

afterAll(async () => {
  if (api && api.child.exitCode === null) {
    api.child.kill('SIGKILL');
    await api.exited;
  }
  fs.rmSync(work, { recursive: true, force: true });
});

it('reports the bad row in a dry run and writes nothing, then loads 4,000 orders with deliveries through the CLI', async () => {
  const cliEnv = { TRADELANE_DATA_DIR: dataDir, HOME: os.tmpdir() };
  const added = await runCli(
    cliEnv,
    'connectors',
    'add',
    'file-import',
    '--name',
    'olist',
    '--config',
    `@${path.join(work, 'import.json')}`,
  );
  expect(added.out).toContain('added file-import:olist');

  // A mapping naming a field the contract does not have is refused when the instance is added.
  fs.writeFileSync(
    path.join(work, 'bad-mapping.json'),
    JSON.stringify({
      mapping: { records: [{ type: 'order.upserted', fields: { externalId: 'id', eta: 'eta' } }] },
    }),
  );
  const refused = await runCli(
    cliEnv,
    'connectors',
    'add',
    'file-import',
    '--name',
    'bad',
    '--config',
    `@${path.join(work, 'bad-mapping.json')}`,
  );
  expect(refused.code).not.toBe(0);
  expect(refused.out).toContain('config.mapping: records[0].fields.eta: order.upserted has no field "eta"');

  // Dry run, in process (no app running): counts and the bad row, nothing written.
  const dry = await runCli(cliEnv, 'import', 'file-import:olist', path.join(work, 'orders.csv'), '--dry-run');
  expect(dry.out).toContain(
    'orders.csv (dry run, nothing written): 8039 records (40 customer.upserted, 4000 order.upserted, 3999 delivery.status-changed), 1 rejected',
  );
  expect(dry.out).toContain(
    'orders.csv row 2501 column delivered_at: "2018-13-45 10:00:00" is not a date-time',
  );
  expect(dry.code).toBe(3);

  api = startApp('api', {
    PORT: String(port),
    TRADELANE_DATA_DIR: dataDir,
    TRADELANE_SAMPLE: 'off',
    LOG_LEVEL: 'warn',
  });
  await untilHealthy(api, base);
  expect((await json<{ total: number }>('/customers?q=C-')).total).toBe(0);
  expect((await json<{ items: unknown[] }>('/dead-letters')).items).toHaveLength(0);

  const started = Date.now();
  const loaded = await runCli(
    { ...cliEnv, TRADELANE_API: base },
    'import',
    'file-import:olist',
    path.join(work, 'orders.csv'),
  );
  expect(loaded.out).toMatch(/orders\.csv: taken \(message [0-9a-f-]{36}\)/);
  expect(loaded.code).toBe(0);

  const customers = await whileApiRuns(
    async () => {
      const page = await json<{ total: number; items: { id: string; name: string }[] }>(
        '/customers?q=Customer&limit=100',
      );
      return { done: page.total === CUSTOMERS ? page.items : undefined, progress: page.total };
    },
    { stallMs: 90_000, what: '40 customers' },
  );
  const counts = async () => {
    let orders = 0;
    let deliveries = 0;
    for (const c of customers) {
      orders += (await json<{ total: number }>(`/customers/${c.id}/orders?limit=1`)).total;
      deliveries += (await json<{ total: number }>(`/customers/${c.id}/deliveries?limit=1`)).total;
    }
    return { orders, deliveries };
  };
  await whileApiRuns(
    async () => {
      const n = await counts();
      return {
        done: n.orders === ORDERS && n.deliveries === ORDERS - 1 ? n : undefined,
        progress: n.orders + n.deliveries,
      };
    },
    { stallMs: 90_000, what: '4,000 orders and 3,999 deliveries' },
  );
  console.warn(
    `file-import e2e: 4,000 orders + 3,999 deliveries + 40 customers loaded in ${((Date.now() - started) / 1000).toFixed(1)} s on the embedded default`,
  );

  // The bad row: a dead letter naming file, row and column, kept for a redrive.
  const dead = await json<{
    items: { type: string; key: string; errorCode: string; errorField: string; errorMessage: string }[];
  }>('/dead-letters');
  expect(dead.items).toHaveLength(1);
  expect(dead.items[0]).toMatchObject({
    type: 'erp.delivery.status-changed.v1',
    key: 'D-O-02499',
    errorCode: 'INVALID_MESSAGE',
    errorField: 'orders.csv row 2501 column delivered_at',
  });
  expect(dead.items[0].errorMessage).toContain('"2018-13-45 10:00:00" is not a date-time');

  // A date-only promise is "by the end of that day" in the promise's zone: same-day deliveries are on time.
  const c0 = customers.find((c) => c.name === 'Customer 0')!;
  const view = await json<{ deliveries: { onTime: { delivered: number; onTime: number } } }>(
    `/customers/${c0.id}`,
  );
  expect(view.deliveries.onTime).toMatchObject({ delivered: 100, onTime: 75 });

  // Two-year-old late deliveries: no case, no clock; the KPIs include them (all 100, a quarter late).
  expect((await json<{ items: unknown[] }>('/cases?limit=10')).items).toHaveLength(0);
  const onTime = await whileApiRuns(
    async () => {
      const { values } = await json<{ values: { kpi: string; n: number; value: number }[] }>(
        `/customers/${c0.id}/kpis?period=month&from=2018-01-01&to=2018-12-31&kpi=on_time_delivery`,
      );
      const n = values.reduce((a, v) => a + v.n, 0);
      return { done: n === 100 ? values : undefined, progress: n };
    },
    { stallMs: 60_000, what: "Customer 0's 2018 on-time KPI over its 100 deliveries" },
  );
  const hits = onTime.reduce((a, v) => a + Math.round(v.value * v.n), 0);
  expect(hits).toBe(75);
});
