import { ConnectorError } from './connector.error';

describe('ConnectorError.from', () => {
  const http = (status: number, headers: Record<string, unknown> = {}) =>
    Object.assign(new Error(`Request failed with status code ${status}`), { response: { status, headers } });

  it('maps HTTP statuses to kinds', () => {
    expect(ConnectorError.from(http(401)).kind).toBe('auth');
    expect(ConnectorError.from(http(403)).kind).toBe('auth');
    expect(ConnectorError.from(http(404)).kind).toBe('permanent');
    expect(ConnectorError.from(http(422)).kind).toBe('permanent');
    expect(ConnectorError.from(http(408)).kind).toBe('retryable');
    expect(ConnectorError.from(http(503)).kind).toBe('retryable');
  });

  it('reads Retry-After (seconds or date) on 429', () => {
    const e = ConnectorError.from(http(429, { 'retry-after': '7' }), 'GET /orders');
    expect(e).toMatchObject({ kind: 'rate-limited', retryAfterMs: 7000, code: 'CONNECTOR_RATE_LIMITED' });
    expect(e.message).toBe('GET /orders: Request failed with status code 429');
    const at = new Date(Date.now() + 60_000).toUTCString();
    expect(ConnectorError.from(http(429, { 'retry-after': at })).retryAfterMs).toBeGreaterThan(50_000);
  });

  it('treats network errors as retryable and anything else as permanent', () => {
    expect(ConnectorError.from(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).kind).toBe(
      'retryable',
    );
    expect(ConnectorError.from(new SyntaxError('Unexpected token < in JSON')).kind).toBe('permanent');
    const own = new ConnectorError('config', 'baseUrl missing', { field: 'config.baseUrl' });
    expect(ConnectorError.from(own)).toBe(own);
  });

  it('tells the messaging layer what to do, in one place', () => {
    expect(new ConnectorError('retryable', 'x').disposition).toBe('retry');
    expect(new ConnectorError('rate-limited', 'x').disposition).toBe('retry');
    expect(new ConnectorError('permanent', 'x').disposition).toBe('dead-letter');
    expect(new ConnectorError('auth', 'x')).toMatchObject({
      disposition: 'dead-letter',
      needsAttention: true,
      code: 'CONNECTOR_AUTH',
    });
    expect(new ConnectorError('permanent', 'x').needsAttention).toBe(false);
  });
});
