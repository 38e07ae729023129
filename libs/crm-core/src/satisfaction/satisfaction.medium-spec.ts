/**
 * The satisfaction index through the API on real PostgreSQL: answers of three served parties and
 * their departments (CSAT 1–5, NPS 0–10, a review, a complaint signal), configured weights, the
 * documented formula, drill-down to the answers, re-import without duplicates, and answers of a
 * merged customer counted in the survivor's relationship.
 * Real: PostgreSQL, the app (HTTP). Mocked: nothing.
 */
import { createEnvelope } from '@tradelane/contracts';
import { INBOUND_EXCHANGE } from '@tradelane/messaging';
import { AppOnDatabase, bootAppOnNewDatabase, waitFor } from '@tradelane/testing';
import request from 'supertest';

jest.setTimeout(60_000);

let app: AppOnDatabase;
let customerId: string;

beforeAll(async () => {
  app = await bootAppOnNewDatabase('satisfaction'); // in-process bus: only the customer is ingested
  await app.bus.publish(
    INBOUND_EXCHANGE,
    createEnvelope({
      type: 'erp.customer.upserted.v1',
      source: 'erp-sat:main',
      key: 'K1',
      payload: { externalId: 'K1', name: 'Contoso Retail Group' },
    }),
  );
  const [row] = await waitFor(
    async () => {
      const rows = await app.database.db.sql<{ customer_id: string }>(
        `SELECT customer_id FROM crm_customer_record`,
      );
      return rows.length ? rows : undefined;
    },
    { what: 'the customer' },
  );
  customerId = row.customer_id;
});

afterAll(() => app?.close());

const answer = (id: string, party: string, department: string, kind: string, value: number) => ({
  source: 'survey-tool',
  externalId: id,
  party,
  department,
  kind,
  value,
  answeredAt: '2026-10-15T10:00:00Z',
});

it('aggregates parties and departments by the documented formula, with drill-down', async () => {
  const http = request(app.app.getHttpServer());
  const responses = [
    answer('a1', 'supplier', 'logistics', 'csat', 4), // 75
    answer('a2', 'supplier', 'logistics', 'csat', 5), // 100 -> logistics 87.5
    answer('a3', 'supplier', 'purchasing', 'nps', 6), // 60
    answer('a4', 'manufacturer', 'quality', 'review', 3), // 50
    answer('a5', 'retailer', 'store-ops', 'nps', 9), // 90
    answer('a6', 'retailer', 'store-ops', 'complaint', 0), // 0 -> store-ops 45
  ];
  expect(
    (await http.post(`/customers/${customerId}/satisfaction/responses`).send({ responses }).expect(200)).body,
  ).toEqual({
    recorded: 6,
  });
  // Re-importing the same answers changes nothing.
  await http.post(`/customers/${customerId}/satisfaction/responses`).send({ responses }).expect(200);

  let s = (await http.get(`/customers/${customerId}/satisfaction`).expect(200)).body;
  // Equal weights: supplier (87.5 + 60) / 2 = 73.75; manufacturer 50; retailer 45 -> (73.75 + 50 + 45) / 3
  expect(s.index).toBe(56.25);
  expect(s.formula).toMatch(/^S = Σp Wp · Σd wp,d · sp,d/);

  await http
    .put(`/customers/${customerId}/satisfaction/weights`)
    .send({
      parties: { supplier: 2, manufacturer: 1, retailer: 1 },
      departments: { supplier: { logistics: 3, purchasing: 1 } },
    })
    .expect(200);
  s = (await http.get(`/customers/${customerId}/satisfaction`).expect(200)).body;
  // supplier .75·87.5 + .25·60 = 80.625; index .5·80.625 + .25·50 + .25·45 = 64.0625
  expect(s.index).toBe(64.06);
  const supplier = s.parties.find((p: { party: string }) => p.party === 'supplier');
  expect(supplier).toMatchObject({ weight: 0.5, score: 80.63 });
  const logistics = supplier.departments.find((d: { department: string }) => d.department === 'logistics');
  expect(logistics).toMatchObject({ weight: 0.75, score: 87.5 });

  // Drill-down: exactly the answers used.
  const drill = (
    await http
      .get(`/customers/${customerId}/satisfaction/answers`)
      .query({ party: 'supplier', department: 'logistics' })
      .expect(200)
  ).body;
  expect(drill.map((r: { id: string }) => r.id).sort()).toEqual([...logistics.answers].sort());
  expect(
    drill.map((r: { externalId: string; value: number; score: number }) => [r.externalId, r.value, r.score]),
  ).toEqual([
    ['a1', 4, 75],
    ['a2', 5, 100],
  ]);

  // Bad input is refused, naming what is wrong.
  const bad = await http
    .post(`/customers/${customerId}/satisfaction/responses`)
    .send({ responses: [answer('a9', 'supplier', 'logistics', 'csat', 7)] })
    .expect(400);
  expect(bad.body.message).toBe('responses.0.value: answer 7 is outside its scale 1–5');
  await http
    .put(`/customers/${customerId}/satisfaction/weights`)
    .send({ parties: { supplier: -1 } })
    .expect(400);
  await http.get('/customers/00000000-0000-4000-8000-000000000000/satisfaction').expect(404);
});

it('counts the answers of a customer merged into the relationship', async () => {
  const http = request(app.app.getHttpServer());
  await app.bus.publish(
    INBOUND_EXCHANGE,
    createEnvelope({
      type: 'erp.customer.upserted.v1',
      source: 'erp-sat:second',
      key: 'K2',
      payload: { externalId: 'K2', name: 'Contoso Retail (second ERP)' },
    }),
  );
  const [k2] = await waitFor(
    async () => {
      const rows = await app.database.db.sql<{ customer_id: string }>(
        `SELECT customer_id FROM crm_customer_record WHERE external_id = 'K2'`,
      );
      return rows.length ? rows : undefined;
    },
    { what: 'the second customer' },
  );
  await http
    .post(`/customers/${k2.customer_id}/satisfaction/responses`)
    .send({ responses: [answer('b1', 'manufacturer', 'quality', 'review', 5)] }) // 100
    .expect(200);
  const before = (await http.get(`/customers/${customerId}/satisfaction`).expect(200)).body;
  await http
    .post(`/customers/${customerId}/merge`)
    .send({ customerId: k2.customer_id, reason: 'same group' })
    .expect(200);
  const after = (await http.get(`/customers/${customerId}/satisfaction`).expect(200)).body;
  const quality = (body: {
    parties: { party: string; departments: { department: string; answers: string[]; score: number }[] }[];
  }) =>
    body.parties.find((p) => p.party === 'manufacturer')?.departments.find((d) => d.department === 'quality');
  expect(quality(before)).toMatchObject({ score: 50 });
  expect(quality(after)).toMatchObject({ score: 75 }); // (50 + 100) / 2
  expect(quality(after)?.answers).toHaveLength(2);
});
