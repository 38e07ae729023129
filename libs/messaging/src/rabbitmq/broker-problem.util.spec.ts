import { describeBrokerError } from './broker-problem.util';

describe('describeBrokerError', () => {
  it.each([
    [
      new Error(
        'Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN."',
      ),
      'auth-refused',
    ],
    [
      Object.assign(
        new Error('Connection closed: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - vhost tl not found"'),
        {},
      ),
      'vhost-refused',
    ],
    [
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5672'), { code: 'ECONNREFUSED' }),
      'connection-refused',
    ],
    [Object.assign(new Error('getaddrinfo ENOTFOUND mq.internal'), { code: 'ENOTFOUND' }), 'host-not-found'],
    [Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'tls'],
    [Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), 'timeout'],
  ])('%s -> %s', (err, code) => {
    const problem = describeBrokerError(err);
    expect(problem.code).toBe(code);
    // Never the host, the port or the URL: /health is answered to anyone.
    expect(problem.message).not.toMatch(/10\.0\.0\.5|5672|mq\.internal/);
  });

  it('keeps an unknown cause but never the URL with its password', () => {
    const p = describeBrokerError(new Error('weird failure at amqp://tl:s3cret@mq:5672/x'));
    expect(p).toEqual({ code: 'other', message: 'weird failure at <AMQP_URL>' });
  });
});
