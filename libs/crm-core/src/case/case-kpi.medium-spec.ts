/**
 * What had no test: the on_time_report_handling KPI (service requests answered by their
 * first-response deadline) and the tenant's own knowledge-base articles.
 * Real: PostgreSQL, the app (handlers, HTTP, KPI refresh) on the in-process bus. Mocked: nothing.
 * A deadline in the past is made by moving a case's clock back in the database (time travel), since
 * a real one is a business day away.
 */
import { createEnvelope } from '@tradelane/contracts';
import { AppOnDatabase, bootAppOnNewDatabase, publishAndSettle } from '@tradelane/testing';
import request from 'supertest';

jest.setTimeout(60_000);

let app: AppOnDatabase;
let http: ReturnType<typeof request>;
let customerId: string;

beforeAll(async () => {
  app = await bootAppOnNewDatabase('case_kpi');
  http = request(app.app.getHttpServer());
  await publishAndSettle(app, [
    createEnvelope({
      type: 'erp.customer.upserted.v1',
      source: 'erp-kb:main',
      key: 'C-1',
      payload: { externalId: 'C-1', name: 'Report Handling BV' },
    }),
  ]);
  [{ customer_id: customerId }] = await app.database.db.sql<{ customer_id: string }>(
    `SELECT customer_id FROM crm_customer_record WHERE external_id = 'C-1'`,
  );
});
afterAll(() => app?.close());

const open = async (subject: string) =>
  (
    await http
      .post('/cases')
      .send({ customerId, type: 'service_request', subject, author: 'cs@3pl.example' })
      .expect(201)
  ).body as { id: string; number: string; firstResponseDueAt: string };

it('counts a service request answered by its deadline as a hit and one left past it as a miss', async () => {
  const answered = await open('Please send the POD for SHP-1');
  const late = await open('Where is my pallet?');
  const waiting = await open('Change the delivery address');
  await http
    .post(`/cases/${answered.id}/messages`)
    .send({ visibility: 'customer', author: 'cs@3pl.example', body: 'Attached.' })
    .expect(201);
  // The second one's deadline passed yesterday without an answer; the third is still within its clock.
  await app.database.db.sql(
    `UPDATE crm_case SET opened_at = now() - interval '3 days', first_response_due_at = now() - interval '1 day'
      WHERE id = $1`,
    [late.id],
  );
  await http.post('/kpis/recompute?wait=true').expect(200);
  const month = (d: Date) => `${d.toISOString().slice(0, 7)}-01`;
  const kpis = (
    await http
      .get(`/customers/${customerId}/kpis`)
      .query({ period: 'month', kpi: 'on_time_report_handling' })
      .expect(200)
  ).body as {
    values: { periodStart: string; n: number; hits: number; value: number; target: number; met: boolean }[];
  };
  const total = kpis.values.reduce((a, v) => ({ n: a.n + v.n, hits: a.hits + v.hits }), { n: 0, hits: 0 });
  // The waiting case does not count until it is answered or its deadline passes.
  expect(total).toEqual({ n: 2, hits: 1 });
  const dueMonth = month(new Date(Date.now() - 86_400_000));
  const v = kpis.values.find((x) => x.periodStart === dueMonth) as (typeof kpis.values)[number];
  expect(v.target).toBe(0.99);
  const drill = (
    await http
      .get(`/customers/${customerId}/kpis/on_time_report_handling/records`)
      .query({ period: 'month', start: dueMonth })
      .expect(200)
  ).body as { items: { id: string; hit: boolean }[] };
  expect(drill.items).toContainEqual(expect.objectContaining({ id: late.id, hit: false }));
  expect(drill.items.map((i) => i.id)).not.toContain(waiting.id);
});

it("serves the tenant's own knowledge-base articles before the standard ones, and only to that tenant", async () => {
  const added = await http
    .post('/knowledge-base')
    .send({
      caseType: 'damage',
      title: 'Photograph before unloading',
      body: 'Ask the driver to wait; photos of every side.',
    })
    .expect(201);
  expect(added.body).toMatchObject({
    id: expect.any(String),
    caseType: 'damage',
    title: 'Photograph before unloading',
  });
  const list = (await http.get('/knowledge-base').query({ type: 'damage' }).expect(200)).body as {
    id: string | null;
    title: string;
    standard?: boolean;
  }[];
  expect(list[0]).toMatchObject({ id: added.body.id, title: 'Photograph before unloading' });
  expect(list.slice(1).every((a) => a.standard)).toBe(true);
  expect(list.length).toBeGreaterThan(1);
  const other = (await http.get('/knowledge-base').query({ type: 'damage', tenant: 'other' }).expect(200))
    .body as {
    id: string | null;
  }[];
  expect(other.every((a) => a.id === null)).toBe(true);
  await http.get('/knowledge-base').query({ type: 'nonsense' }).expect(400);
  await http.post('/knowledge-base').send({ caseType: 'damage', title: '' }).expect(400);
});
