/**
 * One person's data, over real PostgreSQL and the whole app with authentication required: Maria is a
 * contact of customer ALFKI (another contact is not her), wrote a case message, is the actor of an
 * e-mail interaction, sits in a dead letter's raw body and has a portal user. The export lists all
 * of it; the erasure removes it everywhere in one go (the other contact, the case and the customer
 * stay), writes one audit row without her e-mail, and queues crm.person.erased.v1 for the source of
 * the record that named her. Only privacy:manage may do either.
 * Real: PostgreSQL, the app, the in-process bus. Mocked: nothing.
 */
import { createEnvelope } from '@tradelane/contracts';
import { AppWithAdmin, bootAppWithAdmin, CustomerEventFactory, publishAndSettle } from '@tradelane/testing';
import request from 'supertest';

jest.setTimeout(120_000);

const MARIA = 'maria.anders@alfreds.example';
let app: AppWithAdmin;
const http = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });
let customerId = '';

beforeAll(async () => {
  app = await bootAppWithAdmin('privacy');
  await publishAndSettle(app, [
    CustomerEventFactory.create(
      {
        externalId: 'ALFKI',
        name: 'Alfreds Futterkiste',
        contacts: [
          {
            name: 'Maria Anders',
            email: 'Maria.Anders@alfreds.example',
            phone: '+49 30 0074321',
            role: 'Owner',
          },
          { name: 'Thomas Hardy', email: 'thomas@alfreds.example' },
        ],
      },
      { source: 'erp-test:main' },
    ),
  ]);
  customerId = (await http().get('/customers?q=Alfreds').set(as(app.adminToken)).expect(200)).body.items[0]
    .id;
  await publishAndSettle(app, [
    createEnvelope({
      type: 'email.interaction.recorded.v1',
      source: 'email-test:inbox',
      key: 'M1',
      payload: {
        externalId: 'M1',
        customerExternalId: 'ALFKI',
        customerSource: 'erp-test:main',
        channel: 'email',
        direction: 'inbound',
        subject: `Question from ${MARIA}`,
        actor: MARIA,
      },
    }),
  ]);
  // Malformed (no name): a dead letter whose raw body names her.
  await app.bus.publish(
    'tradelane.inbound',
    createEnvelope({
      type: 'erp.customer.upserted.v1',
      source: 'erp-test:main',
      key: 'BROKEN',
      payload: { externalId: 'BROKEN', email: MARIA } as never,
    }),
  );
  for (let i = 0; i < 100; i++) {
    const [d] = await app.db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM dead_letter`);
    if (d.n > 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const c = await http()
    .post('/cases')
    .set(as(app.adminToken))
    .send({ customerId, type: 'damage', subject: 'Broken pallet' })
    .expect(201);
  await http()
    .post(`/cases/${c.body.id}/messages`)
    .set(as(app.adminToken))
    .send({ visibility: 'customer', direction: 'inbound', author: MARIA, body: 'Call me on +49 30 0074321' })
    .expect(201);
  const partner = await http()
    .post('/partners')
    .set(as(app.adminToken))
    .send({ name: 'Alfreds' })
    .expect(201);
  await http()
    .post('/users')
    .set(as(app.adminToken))
    .send({ email: MARIA, password: 'portal password 12', partnerId: partner.body.id })
    .expect(201);
});
afterAll(() => app?.close());

it('exports everything held about the person, and only with privacy:manage', async () => {
  const viewer = (
    await http()
      .post('/api-keys')
      .set(as(app.adminToken))
      .send({ name: 'viewer', scopes: ['customers:read'] })
      .expect(201)
  ).body.token;
  await http().get('/privacy/people').query({ email: MARIA }).set(as(viewer)).expect(403);
  await http().get('/privacy/people').query({ email: 'not an e-mail' }).set(as(app.adminToken)).expect(400);
  const res = await http()
    .get('/privacy/people')
    .query({ email: MARIA.toUpperCase() })
    .set(as(app.adminToken))
    .expect(200);
  expect(res.body.email).toBe(MARIA);
  expect(res.body.holdings['customer contacts']).toEqual([
    expect.objectContaining({
      kind: 'contact',
      externalId: 'ALFKI',
      contact: expect.objectContaining({ name: 'Maria Anders' }),
    }),
  ]);
  expect(res.body.holdings.interactions).toEqual([expect.objectContaining({ actor: MARIA })]);
  expect(res.body.holdings['case messages']).toEqual([expect.objectContaining({ author: MARIA })]);
  expect(res.body.users).toEqual([expect.objectContaining({ email: MARIA })]);
  expect(res.body.deadLetters).toBe(1);
});

it('erases the person everywhere, audits it without the e-mail, and tells the source', async () => {
  await http().post('/privacy/erasures').set(as(app.adminToken)).send({ email: MARIA }).expect(400); // no reason
  const res = await http()
    .post('/privacy/erasures')
    .set(as(app.adminToken))
    .send({ email: MARIA, reason: 'GDPR Art. 17 request #4711' })
    .expect(200);
  expect(res.body).toMatchObject({
    erased: { 'customer contacts': 2, interactions: 1, 'case messages': 1, 'dead letters': 1, users: 1 },
    notified: ['erp-test:main'],
  });
  // Nothing is left to export; the other contact, the customer and the case are still there.
  const after = await http()
    .get('/privacy/people')
    .query({ email: MARIA })
    .set(as(app.adminToken))
    .expect(200);
  expect(Object.values(after.body.holdings).flat()).toEqual([]);
  expect(after.body).toMatchObject({ users: [], deadLetters: 0 });
  const view = await http().get(`/customers/${customerId}`).set(as(app.adminToken)).expect(200);
  expect(JSON.stringify(view.body)).not.toMatch(/maria/i);
  expect(view.body.contacts).toEqual([expect.objectContaining({ name: 'Thomas Hardy' })]);
  const rows = await app.db.sql<{ t: string }>(
    `SELECT string_agg(x::text, ' ') AS t FROM (
       SELECT data::text AS x FROM crm_customer_record UNION ALL SELECT coalesce(email, '') FROM crm_customer
       UNION ALL SELECT value FROM crm_customer_identifier UNION ALL SELECT actor || subject FROM crm_interaction
       UNION ALL SELECT author || body FROM crm_case_message UNION ALL SELECT email || name FROM auth_user
       UNION ALL SELECT encode(body, 'escape') FROM dead_letter) s`,
  );
  expect(rows[0].t).not.toMatch(/maria\.anders/i);
  expect(rows[0].t).not.toMatch(/0074321/);
  // The audit row names the erasure and a hash, never the e-mail.
  const [audit] = await app.db.sql<{ after: Record<string, unknown>; target_id: string }>(
    `SELECT after, target_id FROM audit_log WHERE target_type = 'person'`,
  );
  expect(audit.target_id).toBe(res.body.erasureId);
  expect(audit.after).toMatchObject({
    reason: 'GDPR Art. 17 request #4711',
    emailSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  expect(JSON.stringify(audit)).not.toMatch(/maria/i);
  // The source that held her is told, with the records that named her.
  const [event] = await app.db.sql<{ envelope: { payload: Record<string, unknown> } }>(
    `SELECT envelope FROM outbox WHERE type = 'crm.person.erased.v1'`,
  );
  expect(event.envelope.payload).toMatchObject({
    erasureId: res.body.erasureId,
    email: MARIA,
    identities: [{ source: 'erp-test:main', externalId: 'ALFKI' }],
    toSources: ['erp-test:main'],
  });
  // The portal user can no longer log in.
  await http().post('/auth/login').send({ email: MARIA, password: 'portal password 12' }).expect(401);
  // Erasing again finds nothing.
  await http()
    .post('/privacy/erasures')
    .set(as(app.adminToken))
    .send({ email: MARIA, reason: 'again' })
    .expect(404);
});
