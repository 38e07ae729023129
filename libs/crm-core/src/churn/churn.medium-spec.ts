/**
 * Churn warning over synthetic monthly histories on real PostgreSQL: a customer whose orders fall
 * 50 % below its six-month baseline is flagged with the reason and numbers; a seasonal customer whose
 * drop matches last year's is not; a steady one is not.
 * Real: PostgreSQL, the app (handlers, HTTP) on the in-process bus. Mocked: nothing.
 */
import { createEnvelope, Envelope } from '@tradelane/contracts';
import { AppOnDatabase, bootAppOnNewDatabase, publishAndSettle } from '@tradelane/testing';
import request from 'supertest';

jest.setTimeout(90_000);

let app: AppOnDatabase;
const SOURCE = 'erp-churn:main';

beforeAll(async () => {
  app = await bootAppOnNewDatabase('churn');
});

afterAll(() => app?.close());

/** Orders per month from 2025-04 to 2026-10 (19 months), `perMonth[i]` in month i. */
function history(customer: string, perMonth: number[]): Envelope[] {
  const events: Envelope[] = [
    createEnvelope({
      type: 'erp.customer.upserted.v1',
      source: SOURCE,
      key: customer,
      payload: { externalId: customer, name: customer },
    }),
  ];
  perMonth.forEach((n, i) => {
    for (let k = 0; k < n; k++) {
      const id = `${customer}-${i}-${k}`;
      const orderedAt = new Date(Date.UTC(2025, 3 + i, 1 + k)).toISOString();
      events.push(
        createEnvelope({
          type: 'erp.order.upserted.v1',
          source: SOURCE,
          key: id,
          payload: { externalId: id, customerExternalId: customer, orderedAt },
        }),
      );
    }
  });
  return events;
}

it('flags a real drop with its numbers, not a seasonal one or a steady customer', async () => {
  const ten = (n: number) => Array<number>(n).fill(10);
  const events = [
    ...history('DROPPING', [...ten(18), 4]),
    ...history('SEASONAL', [...ten(6), 3, ...ten(11), 4]), // October 2025 was as low
    ...history('STEADY', [...ten(18), 9]),
  ];
  await publishAndSettle(app, events);
  const http = request(app.app.getHttpServer());
  const res = (await http.get('/churn-warnings').query({ month: '2026-10' }).expect(200)).body;
  expect(res.evaluated).toBe(3);
  expect(res.flagged.map((f: { name: string }) => f.name)).toEqual(['DROPPING']);
  expect(res.flagged[0]).toMatchObject({ current: 4, baseline: 10, ratio: 0.4, lastYearRatio: 1 });
  expect(res.flagged[0].reason).toBe(
    'order volume fell: 4 orders this month against a 6-month baseline of 10.0 (40 %); last year the same month was at 100 %',
  );
  // One customer (the 360): its own warning, or none.
  const dropping = res.flagged[0].customerId as string;
  const one = (
    await http.get('/churn-warnings').query({ month: '2026-10', customerId: dropping }).expect(200)
  ).body;
  expect(one).toMatchObject({ evaluated: 3, flagged: [{ customerId: dropping, name: 'DROPPING' }] });
  const steady = (await http.get('/customers').query({ q: 'STEADY' }).expect(200)).body.items[0].id as string;
  expect(
    (await http.get('/churn-warnings').query({ month: '2026-10', customerId: steady }).expect(200)).body
      .flagged,
  ).toEqual([]);
  await http.get('/churn-warnings').query({ customerId: 'not-a-uuid' }).expect(400);
  await http.get('/churn-warnings').query({ month: '2026-13' }).expect(400);
});
