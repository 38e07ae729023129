import { signWebhook, verifyWebhook } from './standard-webhooks';

const SECRET = 'a-shared-webhook-secret-1234';
const body = Buffer.from('{"items":[]}');
const now = new Date('2026-12-01T10:00:00Z');

describe('Standard Webhooks signatures', () => {
  it('accepts its own signature and returns the id and signed time', () => {
    const h = signWebhook(SECRET, body, { id: 'msg_1', timestamp: now });
    expect(verifyWebhook(SECRET, body, h, { now })).toEqual({ ok: true, id: 'msg_1', timestamp: now });
  });

  it('matches the published test vector (whsec_ secret, id, timestamp, body)', () => {
    // From the Standard Webhooks specification's reference implementations.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const payload = Buffer.from('{"test": 2432232314}');
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    expect(verifyWebhook(secret, payload, headers, { now: new Date(1614265330_000) })).toMatchObject({
      ok: true,
    });
  });

  it.each([
    ['another body', { body: Buffer.from('{"items":[1]}') }],
    ['another id', { headers: { 'webhook-id': 'msg_2' } }],
    ['a changed timestamp', { headers: { 'webhook-timestamp': String(now.getTime() / 1000 + 1) } }],
    ['upper-case prefix', { sig: (s: string) => s.replace('v1,', 'V1,') }],
    ['junk after the digest', { sig: (s: string) => `${s}x` }],
    [
      'hex instead of base64',
      { sig: (s: string) => `v1,${Buffer.from(s.slice(3), 'base64').toString('hex')}` },
    ],
  ])(
    'refuses %s',
    (_what, change: { body?: Buffer; headers?: Record<string, string>; sig?: (s: string) => string }) => {
      const h = signWebhook(SECRET, body, { id: 'msg_1', timestamp: now });
      const headers = {
        ...h,
        ...change.headers,
        'webhook-signature': (change.sig ?? ((s) => s))(h['webhook-signature']),
      };
      expect(verifyWebhook(SECRET, change.body ?? body, headers, { now }).ok).toBe(false);
    },
  );

  it('refuses a push outside the tolerance, naming why', () => {
    const h = signWebhook(SECRET, body, { id: 'msg_1', timestamp: new Date(now.getTime() - 301_000) });
    expect(verifyWebhook(SECRET, body, h, { now })).toEqual({
      ok: false,
      reason: 'webhook-timestamp is more than 300 s from now (stale or replayed)',
    });
  });

  it('accepts any of several signatures (secret rotation)', () => {
    const h = signWebhook(SECRET, body, { id: 'msg_1', timestamp: now });
    const other = signWebhook('the-previous-secret-000000', body, { id: 'msg_1', timestamp: now });
    const headers = { ...h, 'webhook-signature': `${other['webhook-signature']} ${h['webhook-signature']}` };
    expect(verifyWebhook(SECRET, body, headers, { now }).ok).toBe(true);
  });
});
