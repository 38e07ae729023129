/**
 * OAuth2 client credentials over real PostgreSQL and the whole app (authentication required): a
 * client with `orders:read` gets a JWT access token (ES256, `at+jwt`) that reads orders and is
 * refused a mutation; the token verifies against the published JWKS; forged, `alg: none`,
 * wrong-audience, wrong-issuer and expired tokens are refused even when signed with the real key;
 * revoking the client refuses its token at once; a key rotation keeps tokens in flight valid.
 * Real: PostgreSQL, the app, jose on both sides. Mocked: nothing.
 */
import { AppWithAdmin, bootAppWithAdmin } from '@tradelane/testing';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import request from 'supertest';
import { AccessTokens } from './access-tokens.service';
import { SecretBox } from './secret-box';
import { SECRET_SEAL, SecretSeal } from './secret-seal';

jest.setTimeout(120_000);

const ANY_ID = '0190a4f0-0000-7000-8000-000000000000';
let app: AppWithAdmin;
let admin: string;
let client: { id: string; clientId: string; clientSecret: string };

const http = () => request(app.app.getHttpServer());
const as = (token: string) => ({ authorization: `Bearer ${token}` });

/** The token request (form-encoded) of `client` with its secret, and `extra` fields. */
const askToken = (extra: Record<string, string> = {}) =>
  http()
    .post('/oauth/token')
    .type('form')
    .send({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      ...extra,
    });

async function tokenFor(): Promise<string> {
  return (await askToken().expect(200)).body.access_token;
}

/** A token signed with the deployment's own current key, with claims of the test's choosing. */
async function signedWithOurKey(claims: {
  aud?: string;
  iss?: string;
  exp?: number;
  sub?: string;
}): Promise<string> {
  const [row] = await app.db.sql<{ kid: string; private_jwk: string }>(
    `SELECT kid, private_jwk FROM auth_signing_key ORDER BY created_at DESC LIMIT 1`,
  );
  const jwk = JSON.parse(
    app.app.get<SecretSeal>(SECRET_SEAL)().open(row.private_jwk, 'auth_signing_key'),
  ) as JWK;
  const key = await importJWK(jwk, 'ES256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'orders:read', tenant: 'default', client_id: claims.sub ?? client.clientId })
    .setProtectedHeader({ alg: 'ES256', kid: row.kid, typ: 'at+jwt' })
    .setIssuer(claims.iss ?? 'tradelane')
    .setAudience(claims.aud ?? 'tradelane-api')
    .setSubject(claims.sub ?? client.clientId)
    .setJti('test')
    .setIssuedAt(now - 60)
    .setExpirationTime(claims.exp ?? now + 600)
    .sign(key);
}

beforeAll(async () => {
  process.env.TRADELANE_SECRET_KEYS = SecretBox.generateKeySpec('k1'); // seals the signing keys
  app = await bootAppWithAdmin('oauth', { consume: false });
  admin = app.adminToken;
  client = (
    await http()
      .post('/oauth-clients')
      .set(as(admin))
      .send({ name: 'ERP sync', scopes: ['orders:read'] })
      .expect(201)
  ).body;
});

afterAll(async () => {
  delete process.env.TRADELANE_SECRET_KEYS;
  await app?.close();
});

it('grants a client an ES256 access token that reads orders and is refused a mutation and other scopes', async () => {
  expect(client.clientId).toMatch(/^tlc_[0-9a-f]{24}$/);
  const res = await askToken().expect(200);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'orders:read' });
  const token = res.body.access_token as string;
  expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
  await http().get(`/customers/${ANY_ID}/orders`).set(as(token)).expect(404); // allowed; no such customer
  await http().get('/customers').set(as(token)).expect(403);
  await http().post('/cases').set(as(token)).send({}).expect(403);
  const me = await http().get('/auth/me').set(as(token)).expect(200);
  expect(me.body).toMatchObject({ kind: 'client', name: 'ERP sync', permissions: ['orders:read'] });
  // The client's secret is never listed; HTTP Basic authenticates as well.
  const list = await http().get('/oauth-clients').set(as(admin)).expect(200);
  expect(JSON.stringify(list.body)).not.toContain(client.clientSecret);
  const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
  await http()
    .post('/oauth/token')
    .set('authorization', `Basic ${basic}`)
    .send({ grant_type: 'client_credentials' })
    .expect(200);
});

it('answers token errors as RFC 6749 says', async () => {
  const wrong = await askToken({ client_secret: 'tls_wrong' }).expect(401);
  expect(wrong.body).toMatchObject({ error: 'invalid_client' });
  expect(wrong.headers['www-authenticate']).toContain('Basic');
  const scope = await askToken({ scope: 'users:admin' }).expect(400);
  expect(scope.body).toMatchObject({ error: 'invalid_scope' });
  const grant = await http()
    .post('/oauth/token')
    .type('form')
    .send({ grant_type: 'password', username: 'a', password: 'b' })
    .expect(400);
  expect(grant.body).toMatchObject({ error: 'unsupported_grant_type' });
});

it('publishes its keys: a token verifies against the JWKS, and tokens it did not sign are refused', async () => {
  const token = await tokenFor();
  const jwks = (await http().get('/.well-known/jwks.json').expect(200)).body as { keys: JWK[] };
  expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
  expect(JSON.stringify(jwks)).not.toContain('"d"'); // no private part
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
    audience: 'tradelane-api',
    issuer: 'tradelane',
  });
  expect(payload).toMatchObject({ sub: client.clientId, tenant: 'default', scope: 'orders:read' });

  // Forged: the same claims and kid, signed with another key.
  const { privateKey } = await generateKeyPair('ES256');
  const kid = decodeProtectedHeader(token).kid as string;
  const forged = await new SignJWT({ scope: 'orders:read', tenant: 'default' })
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
    .setIssuer('tradelane')
    .setAudience('tradelane-api')
    .setSubject(client.clientId)
    .setJti('x')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
  await http().get(`/customers/${ANY_ID}/orders`).set(as(forged)).expect(401);
  // alg none, and an HMAC token keyed with our public key (algorithm confusion).
  const [, body] = token.split('.');
  const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid })).toString('base64url')}.${body}.`;
  await http().get(`/customers/${ANY_ID}/orders`).set(as(none)).expect(401);
  const pub = JSON.stringify(await exportJWK((await generateKeyPair('ES256')).publicKey));
  const hs = await new SignJWT({ scope: 'orders:read', tenant: 'default' })
    .setProtectedHeader({ alg: 'HS256', kid, typ: 'at+jwt' })
    .setIssuer('tradelane')
    .setAudience('tradelane-api')
    .setSubject(client.clientId)
    .setJti('y')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(pub));
  await http().get(`/customers/${ANY_ID}/orders`).set(as(hs)).expect(401);
});

it('refuses tokens signed with the real key but expired, for another audience or issuer', async () => {
  const ok = await signedWithOurKey({});
  await http().get(`/customers/${ANY_ID}/orders`).set(as(ok)).expect(404); // the helper signs valid tokens
  const expired = await signedWithOurKey({ exp: Math.floor(Date.now() / 1000) - 5 });
  await http().get(`/customers/${ANY_ID}/orders`).set(as(expired)).expect(401);
  await http()
    .get(`/customers/${ANY_ID}/orders`)
    .set(as(await signedWithOurKey({ aud: 'another-api' })))
    .expect(401);
  await http()
    .get(`/customers/${ANY_ID}/orders`)
    .set(as(await signedWithOurKey({ iss: 'https://evil.example' })))
    .expect(401);
  await http()
    .get(`/customers/${ANY_ID}/orders`)
    .set(as(await signedWithOurKey({ sub: 'tlc_000000000000000000000000' })))
    .expect(401);
});

it('keeps tokens in flight valid across a key rotation, and refuses them all the moment the client is revoked', async () => {
  const before = await tokenFor();
  const kid = await app.app.get(AccessTokens).rotate();
  const after = await tokenFor();
  expect(decodeProtectedHeader(after).kid).toBe(kid);
  expect(decodeProtectedHeader(before).kid).not.toBe(kid);
  const jwks = (await http().get('/.well-known/jwks.json').expect(200)).body as { keys: JWK[] };
  expect(jwks.keys.map((k) => k.kid)).toEqual(
    expect.arrayContaining([kid, decodeProtectedHeader(before).kid]),
  );
  await http().get(`/customers/${ANY_ID}/orders`).set(as(before)).expect(404);
  await http().get(`/customers/${ANY_ID}/orders`).set(as(after)).expect(404);
  await http().delete(`/oauth-clients/${client.id}`).set(as(admin)).expect(204);
  await http().delete(`/oauth-clients/${client.id}`).set(as(admin)).expect(404); // revoked already
  await http().get(`/customers/${ANY_ID}/orders`).set(as(before)).expect(401);
  await http().get(`/customers/${ANY_ID}/orders`).set(as(after)).expect(401);
  await askToken().expect(401);
});
