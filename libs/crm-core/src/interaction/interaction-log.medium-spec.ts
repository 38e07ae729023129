/**
 * Logging a call, meeting or note on a customer's timeline, over real PostgreSQL and the whole app:
 * the entry names the person logged in, shows on the timeline and the 360, follows a merge to the
 * survivor and goes back with the unmerge; refusals name the field; a key without
 * `interactions:write` is 403. Real: PostgreSQL, the app. Mocked: nothing.
 */
import { AppWithAdmin, bootAppWithAdmin, CustomerEventFactory, publishAndSettle } from '@tradelane/testing';
import request from 'supertest';

jest.setTimeout(120_000);

let app: AppWithAdmin;
const http = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const ids: Record<string, string> = {};

type Entry = {
  kind: string;
  channel: string;
  direction: string;
  subject: string;
  actor: string;
  ref: string;
};
const timeline = async (id: string) =>
  (await http().get(`/customers/${id}/timeline`).set(as(app.adminToken)).expect(200)).body.items as Entry[];

beforeAll(async () => {
  app = await bootAppWithAdmin('interaction-log');
  await publishAndSettle(app, [
    CustomerEventFactory.create({ externalId: 'ALFKI', name: 'Alfreds Futterkiste' }),
    CustomerEventFactory.create({ externalId: 'ALFKI-2', name: 'Alfreds Futterkiste GmbH' }),
  ]);
  const page = (await http().get('/customers').set(as(app.adminToken)).expect(200)).body.items as {
    id: string;
    name: string;
  }[];
  for (const c of page) ids[c.name] = c.id;
});
afterAll(() => app.close());

it('logs a call and a note with the person as actor, on the timeline and in the 360', async () => {
  const id = ids['Alfreds Futterkiste'];
  const call = await http()
    .post(`/customers/${id}/interactions`)
    .set(as(app.adminToken))
    .send({
      channel: 'call',
      subject: 'Called about the late shipment',
      summary: 'Promised an update by noon',
      relatedRef: '10643',
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    })
    .expect(201);
  expect(call.body).toMatchObject({
    kind: 'interaction',
    channel: 'call',
    direction: 'outbound',
    actor: 'admin@localhost',
    source: 'tradelane-crm',
    relatedRef: '10643',
  });
  await http()
    .post(`/customers/${id}/interactions`)
    .set(as(app.adminToken))
    .send({ channel: 'note', subject: 'Prefers e-mail to calls' })
    .expect(201);
  const items = await timeline(id);
  // Newest first: the note (now) before the call (an hour ago).
  expect(items.map((e) => [e.channel, e.direction, e.subject, e.actor])).toEqual([
    ['note', 'internal', 'Prefers e-mail to calls', 'admin@localhost'],
    ['call', 'outbound', 'Called about the late shipment', 'admin@localhost'],
  ]);
  const view = (await http().get(`/customers/${id}`).set(as(app.adminToken)).expect(200)).body;
  expect(view.timeline.total).toBe(2);
});

it('follows the customer through a merge and back with the unmerge', async () => {
  const survivor = ids['Alfreds Futterkiste'];
  const other = ids['Alfreds Futterkiste GmbH'];
  await http()
    .post(`/customers/${other}/interactions`)
    .set(as(app.adminToken))
    .send({ channel: 'meeting', subject: 'Quarterly review at their site' })
    .expect(201);
  const merge = await http()
    .post(`/customers/${survivor}/merge`)
    .set(as(app.adminToken))
    .send({ customerId: other, reason: 'same company' })
    .expect(200);
  expect((await timeline(survivor)).map((e) => e.subject)).toContain('Quarterly review at their site');
  await http().post(`/merges/${merge.body.id}/unmerge`).set(as(app.adminToken)).send({}).expect(200);
  expect((await timeline(survivor)).map((e) => e.subject)).not.toContain('Quarterly review at their site');
  expect((await timeline(other)).map((e) => e.subject)).toEqual(['Quarterly review at their site']);
});

it('refuses what it cannot log, naming the field, and a credential without interactions:write', async () => {
  const id = ids['Alfreds Futterkiste'];
  const post = (body: object, token = app.adminToken) =>
    http().post(`/customers/${id}/interactions`).set(as(token)).send(body);
  const cases: [object, RegExp][] = [
    [
      { channel: 'fax', subject: 'x' },
      /channel must be one of the following values: call, meeting, note, email/,
    ],
    [{ channel: 'call' }, /subject must be a string/],
    [{ channel: 'call', subject: 'x', occurredAt: 'yesterday' }, /occurredAt must be a valid ISO 8601/],
    [{ channel: 'call', subject: 'x', direction: 'sideways' }, /direction must be one of/],
    [{ channel: 'call', subject: 'x'.repeat(501) }, /subject must be shorter than or equal to 500/],
    [
      { channel: 'call', subject: 'x', occurredAt: new Date(Date.now() + 86_400_000).toISOString() },
      /occurredAt: .* is in the future/,
    ],
  ];
  for (const [body, message] of cases) {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(message);
  }
  await http()
    .post('/customers/00000000-0000-4000-8000-000000000000/interactions')
    .set(as(app.adminToken))
    .send({ channel: 'call', subject: 'x' })
    .expect(404);
  const key = (
    await http()
      .post('/api-keys')
      .set(as(app.adminToken))
      .send({ name: 'timeline reader', scopes: ['interactions:read'] })
      .expect(201)
  ).body.token as string;
  expect((await post({ channel: 'call', subject: 'x' }, key)).status).toBe(403);
  expect((await timeline(id)).length).toBe(2);
});
