/**
 * Webhooks to partners against a real HTTP receiver, signatures checked with the Standard Webhooks
 * library (standardwebhooks, not our code): a receiver that fails twice then succeeds gets the same
 * webhook-id three times, each validly signed; during a secret rotation both secrets verify; a
 * replay of the last 24 h re-delivers the original ids; a receiver that never answers is marked
 * failing after the schedule (its contact told) while another subscription's events keep arriving
 * on time; a partner is never sent another partner's record; the URL is checked (SSRF) and verified.
 * Real: PostgreSQL, the app, the in-process bus, the dispatcher, an HTTP server. Mocked: nothing.
 */
import { SecretBox } from '@tradelane/access';
import {
  AppWithAdmin,
  bootAppWithAdmin,
  CustomerEventFactory,
  OrderEventFactory,
  publishAndSettle,
  waitFor,
} from '@tradelane/testing';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';

jest.setTimeout(120_000);

interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** The test's receiver: per path, answer 200, fail a number of times first, or never answer. */
const received: Received[] = [];
const behaviour = new Map<string, { failFirst?: number; hang?: boolean }>();
const seenPerPath = new Map<string, number>();
let receiver: http.Server;
let base = '';

let app: AppWithAdmin;
const api = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const keys = { a: '', b: '' };
const ids = { alfki: '', bonap: '', partnerA: '', partnerB: '' };

const ENV = {
  TRADELANE_SECRET_KEYS: SecretBox.generateKeySpec('k1'),
  TRADELANE_WEBHOOK_RETRY_SECONDS: '0.2,0.2,0.2',
  TRADELANE_WEBHOOK_TIMEOUT_SECONDS: '1',
  TRADELANE_OUTBOUND_ALLOW: 'loopback',
  TRADELANE_RATE_LIMIT_PER_MINUTE: '0',
};

const headersOf = (r: Received) => ({
  'webhook-id': r.headers['webhook-id'],
  'webhook-timestamp': r.headers['webhook-timestamp'],
  'webhook-signature': r.headers['webhook-signature'],
});
const at = (path: string) => received.filter((r) => r.path === path);
const dataOf = (r: Received) =>
  JSON.parse(r.body) as { type: string; timestamp: string; data: Record<string, unknown> };

async function subscribe(token: string, path: string, eventTypes = ['order.changed']) {
  const res = await api()
    .post('/partner/v1/webhooks')
    .set(as(token))
    .send({ url: `${base}${path}`, eventTypes, contactEmail: 'it@alfreds.example' })
    .expect(201);
  return res.body as { id: string; secret: string; status: string };
}

beforeAll(async () => {
  Object.assign(process.env, ENV);
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const n = (seenPerPath.get(path) ?? 0) + 1;
      seenPerPath.set(path, n);
      received.push({
        path,
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      const b = behaviour.get(path) ?? {};
      if (b.hang) return; // never answers
      if (b.failFirst && n <= b.failFirst) {
        res.writeHead(500).end('busy, try later');
        return;
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  app = await bootAppWithAdmin('partner-webhooks');
  await publishAndSettle(app, [
    CustomerEventFactory.create({ externalId: 'ALFKI', name: 'Alfreds Futterkiste' }),
    CustomerEventFactory.create({ externalId: 'BONAP', name: 'Bon app' }),
  ]);
  const customers = (await api().get('/customers').set(as(app.adminToken)).expect(200)).body.items as {
    id: string;
    name: string;
  }[];
  ids.alfki = customers.find((c) => c.name === 'Alfreds Futterkiste')!.id;
  ids.bonap = customers.find((c) => c.name === 'Bon app')!.id;
  for (const [k, name, customer] of [
    ['a', 'Alfreds', ids.alfki],
    ['b', 'Bon app', ids.bonap],
  ] as const) {
    const partner = (
      await api()
        .post('/partners')
        .set(as(app.adminToken))
        .send({ name, customerIds: [customer] })
        .expect(201)
    ).body.id as string;
    ids[k === 'a' ? 'partnerA' : 'partnerB'] = partner;
    keys[k] = (
      await api()
        .post('/api-keys')
        .set(as(app.adminToken))
        .send({ name: `${name} hooks`, scopes: ['orders:read', 'webhooks:manage'], partnerId: partner })
        .expect(201)
    ).body.token as string;
  }
});
afterAll(async () => {
  for (const k of Object.keys(ENV)) delete process.env[k];
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
  await app?.close();
});

let flaky: { id: string; secret: string };

it('refuses private and metadata addresses and an endpoint that does not take the verification event', async () => {
  const metadata = await api()
    .post('/partner/v1/webhooks')
    .set(as(keys.a))
    .send({ url: 'http://169.254.169.254/latest/meta-data', eventTypes: ['order.changed'] })
    .expect(400);
  expect(metadata.body.detail).toMatch(/metadata addresses are not reachable/);
  const privateNet = await api()
    .post('/partner/v1/webhooks')
    .set(as(keys.a))
    .send({ url: 'http://10.1.2.3/hook', eventTypes: ['order.changed'] })
    .expect(400);
  expect(privateNet.body.detail).toMatch(/private addresses are not reachable/);
  behaviour.set('/broken', { failFirst: 1000 });
  const broken = await api()
    .post('/partner/v1/webhooks')
    .set(as(keys.a))
    .send({ url: `${base}/broken`, eventTypes: ['order.changed'] })
    .expect(400);
  expect(broken.body.detail).toMatch(/did not accept the signed verification event \(answered 500\)/);
  await api()
    .post('/partner/v1/webhooks')
    .set(as(keys.a))
    .send({ url: `${base}/x`, eventTypes: ['order.teleported'] })
    .expect(400);
  expect((await api().get('/partner/v1/webhooks').set(as(keys.a)).expect(200)).body.items).toEqual([]);
});

it("lets a tenant narrow what it may reach within the installation's ceiling, for webhooks and connectors", async () => {
  const admin = as(app.adminToken);
  expect((await api().get('/outbound-policy').set(admin).expect(200)).body).toEqual({
    allow: ['loopback'],
    ceiling: ['loopback'],
    own: false,
  });
  // Beyond the ceiling (TRADELANE_OUTBOUND_ALLOW=loopback): refused, naming it.
  const beyond = await api()
    .put('/outbound-policy')
    .set(admin)
    .send({ allow: ['private'] })
    .expect(400);
  expect(beyond.body.message).toBe(
    'allow: private beyond what this installation permits (TRADELANE_OUTBOUND_ALLOW=loopback)',
  );
  await api()
    .put('/outbound-policy')
    .set(admin)
    .send({ allow: ['nowhere'] })
    .expect(400);
  // The tenant allows nothing: its partner's loopback endpoint and a connector's loopback URL are refused.
  await api().put('/outbound-policy').set(admin).send({ allow: [] }).expect(200);
  const refused = await api()
    .post('/partner/v1/webhooks')
    .set(as(keys.a))
    .send({ url: `${base}/narrowed`, eventTypes: ['order.changed'] })
    .expect(400);
  expect(refused.body.detail).toMatch(
    /loopback addresses are not reachable for connectors \(allow them with PUT \/outbound-policy \{"allow": \["loopback"\]\} for the tenant\)/,
  );
  expect(at('/narrowed')).toEqual([]);
  const instance = await api()
    .post('/connector-instances')
    .set(admin)
    .send({
      connector: 'example-http',
      name: 'narrowed',
      config: { baseUrl: `${base}/source`, apiToken: 'token-123456' },
    })
    .expect(400);
  expect(instance.body.message).toMatch(
    /^example-http: config\.baseUrl: loopback addresses are not reachable/,
  );
  // Allowed again: the same endpoint is verified and stored.
  expect(
    (
      await api()
        .put('/outbound-policy')
        .set(admin)
        .send({ allow: ['loopback'] })
        .expect(200)
    ).body,
  ).toEqual({
    allow: ['loopback'],
    ceiling: ['loopback'],
    own: true,
  });
  const ok = await subscribe(keys.a, '/narrowed');
  await api().delete(`/partner/v1/webhooks/${ok.id}`).set(as(keys.a)).expect(204);
  // Only an administrator sets it; the change is audited.
  await api().put('/outbound-policy').set(as(keys.a)).send({ allow: [] }).expect(403);
  const audit = await api().get('/audit').query({ action: 'outbound-policy' }).set(admin).expect(200);
  expect(audit.body.items.length).toBeGreaterThan(0);
});

it('verifies a new endpoint with a signed event, shows the secret once, and only to its partner', async () => {
  behaviour.set('/flaky', {});
  flaky = await subscribe(keys.a, '/flaky');
  expect(flaky.secret).toMatch(/^whsec_/);
  const verification = at('/flaky')[0];
  expect(dataOf(verification).type).toBe('webhook.verification');
  expect(() => new Webhook(flaky.secret).verify(verification.body, headersOf(verification))).not.toThrow();
  const listed = await api().get('/partner/v1/webhooks').set(as(keys.a)).expect(200);
  expect(listed.body.items).toEqual([
    expect.objectContaining({ id: flaky.id, status: 'active', signingSecrets: 1 }),
  ]);
  expect(JSON.stringify(listed.body)).not.toContain(flaky.secret);
  // Partner B: not its subscription (404, as one that does not exist), and none listed.
  await api().get(`/partner/v1/webhooks/${flaky.id}`).set(as(keys.b)).expect(404);
  await api()
    .post(`/partner/v1/webhooks/${flaky.id}/replay`)
    .set(as(keys.b))
    .send({ since: '2026-01-01T00:00:00Z' })
    .expect(404);
  expect((await api().get('/partner/v1/webhooks').set(as(keys.b)).expect(200)).body.items).toEqual([]);
});

it('retries a failing receiver with the same webhook-id, validly signed, and never sends another partner its record', async () => {
  seenPerPath.set('/flaky', 0);
  behaviour.set('/flaky', { failFirst: 2 });
  const before = at('/flaky').length;
  await publishAndSettle(app, [
    OrderEventFactory.create({ externalId: 'SO-A1', customerExternalId: 'ALFKI', status: 'OPEN' }),
    OrderEventFactory.create({ externalId: 'SO-B1', customerExternalId: 'BONAP', status: 'OPEN' }),
  ]);
  await waitFor(async () => at('/flaky').length >= before + 3, { what: 'three attempts' });
  await new Promise((r) => setTimeout(r, 800)); // nothing more comes (BONAP's order is not A's)
  const attempts = at('/flaky').slice(before);
  expect(attempts).toHaveLength(3);
  const hookIds = new Set(attempts.map((r) => r.headers['webhook-id']));
  expect(hookIds.size).toBe(1);
  for (const r of attempts) {
    const verified = new Webhook(flaky.secret).verify(r.body, headersOf(r)) as {
      type: string;
      data: { externalId: string };
    };
    expect(verified).toMatchObject({ type: 'order.changed', data: { externalId: 'SO-A1', status: 'OPEN' } });
    expect(r.body).not.toContain('SO-B1');
    expect(Object.keys(dataOf(r).data)).not.toContain('totalAmount'); // no invoices:read, no amounts
  }
  const log = await api().get(`/partner/v1/webhooks/${flaky.id}/attempts`).set(as(keys.a)).expect(200);
  const mine = (
    log.body.items as {
      eventId: string;
      statusCode: number;
      ok: boolean;
      latencyMs: number;
      responseExcerpt: string;
    }[]
  )
    .filter((x) => x.eventId === [...hookIds][0])
    .reverse();
  expect(mine.map((x) => [x.statusCode, x.ok])).toEqual([
    [500, false],
    [500, false],
    [200, true],
  ]);
  expect(mine[0].responseExcerpt).toBe('busy, try later');
  expect(mine.every((x) => x.latencyMs >= 0)).toBe(true);
});

it('signs with both secrets while a rotation overlaps, and replays the last 24 h with the original ids', async () => {
  const rotated = await api()
    .post(`/partner/v1/webhooks/${flaky.id}/rotate-secret`)
    .set(as(keys.a))
    .send({})
    .expect(200);
  const fresh = rotated.body.secret as string;
  expect(fresh).not.toBe(flaky.secret);
  expect(rotated.body.signingSecrets).toBe(2);
  const before = at('/flaky').length;
  await publishAndSettle(app, [
    OrderEventFactory.create({ externalId: 'SO-A2', customerExternalId: 'ALFKI' }),
  ]);
  await waitFor(async () => at('/flaky').length > before, { what: 'the next event' });
  const r = at('/flaky')[before];
  expect(r.headers['webhook-signature'].split(' ')).toHaveLength(2);
  for (const secret of [fresh, flaky.secret])
    expect(() => new Webhook(secret).verify(r.body, headersOf(r))).not.toThrow();

  const delivered = (
    await api().get(`/partner/v1/webhooks/${flaky.id}/deliveries`).set(as(keys.a)).expect(200)
  ).body.items as { eventId: string; status: string }[];
  expect(delivered.map((d) => d.status)).toEqual(['delivered', 'delivered']);
  const originals = delivered.map((d) => d.eventId).sort();
  const n = at('/flaky').length;
  const replay = await api()
    .post(`/partner/v1/webhooks/${flaky.id}/replay`)
    .set(as(keys.a))
    .send({ since: new Date(Date.now() - 24 * 3600_000).toISOString() })
    .expect(200);
  expect(replay.body).toEqual({ replayed: 2 });
  await waitFor(async () => at('/flaky').length >= n + 2, { what: 'the replay' });
  expect(
    at('/flaky')
      .slice(n)
      .map((x) => x.headers['webhook-id'])
      .sort(),
  ).toEqual(originals);
});

it('marks a receiver that never answers failing after the schedule, without slowing the others', async () => {
  behaviour.set('/dead', {});
  const dead = await subscribe(keys.a, '/dead');
  behaviour.set('/dead', { hang: true });
  const started = Date.now();
  await publishAndSettle(app, [
    OrderEventFactory.create({ externalId: 'SO-A3', customerExternalId: 'ALFKI' }),
  ]);
  // The healthy subscription has it at once, while the dead one holds its attempts open.
  await waitFor(async () => at('/flaky').some((x) => x.body.includes('SO-A3')), { what: 'SO-A3 at /flaky' });
  expect(Date.now() - started).toBeLessThan(1500);
  await waitFor(
    async () =>
      (await api().get(`/partner/v1/webhooks/${dead.id}`).set(as(keys.a)).expect(200)).body.status ===
      'failing',
    { what: 'the dead subscription failing', timeoutMs: 30_000 },
  );
  const attempts = at('/dead').filter((x) => x.body.includes('SO-A3'));
  expect(attempts).toHaveLength(4); // the first and three retries
  expect(new Set(attempts.map((x) => x.headers['webhook-id'])).size).toBe(1);
  const log = await api().get(`/partner/v1/webhooks/${dead.id}/attempts`).set(as(keys.a)).expect(200);
  expect(log.body.items[0]).toMatchObject({
    ok: false,
    statusCode: null,
    error: 'no answer within the timeout',
  });
  // Its contact is told: the event for the e-mail channel is in the outbox.
  const told = await app.db.sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbox WHERE envelope->>'type' = 'crm.partner.webhook-failing.v1'
        AND envelope->'payload'->>'subscriptionId' = $1 AND envelope->'payload'->>'contactEmail' = 'it@alfreds.example'`,
    [dead.id],
  );
  expect(told[0].n).toBe(1);
  // Healthy again and re-activated: what waits is sent.
  behaviour.set('/dead', {});
  await api().patch(`/partner/v1/webhooks/${dead.id}`).set(as(keys.a)).send({ status: 'active' }).expect(200);
  await publishAndSettle(app, [
    OrderEventFactory.create({ externalId: 'SO-A4', customerExternalId: 'ALFKI' }),
  ]);
  await waitFor(async () => at('/dead').some((x) => x.body.includes('SO-A4')), { what: 'SO-A4 at /dead' });
});
