import { ConnectorError } from '@tradelane/connector-sdk';
import { ConnectorCircuits } from './connector-circuits';

describe('ConnectorCircuits', () => {
  const down = () => Promise.reject(new ConnectorError('retryable', 'GET /v1/orders: 503'));

  it('opens after consecutive retryable failures, fails fast, then probes and closes', async () => {
    const circuits = new ConnectorCircuits({ failures: 3, halfOpenAfterMs: 50 });
    for (let i = 0; i < 3; i++) await expect(circuits.run('erp-x:a', down)).rejects.toThrow('503');
    expect(circuits.state('erp-x:a')).toBe('open');
    let called = false;
    const probe = () => {
      called = true;
      return Promise.resolve('page');
    };
    await expect(circuits.run('erp-x:a', probe)).rejects.toMatchObject({
      kind: 'retryable',
      message: expect.stringMatching(/^circuit open/),
    });
    expect(called).toBe(false);
    expect(circuits.state('erp-x:b')).toBe('closed'); // per instance
    await new Promise((r) => setTimeout(r, 60));
    await expect(circuits.run('erp-x:a', probe)).resolves.toBe('page');
    expect(circuits.state('erp-x:a')).toBe('closed');
  });

  it('is not tripped by refusals (auth, config, bad data)', async () => {
    const circuits = new ConnectorCircuits({ failures: 2, halfOpenAfterMs: 1000 });
    for (let i = 0; i < 5; i++)
      await expect(
        circuits.run('erp-x:a', () => Promise.reject(new ConnectorError('auth', '401'))),
      ).rejects.toThrow('401');
    expect(circuits.state('erp-x:a')).toBe('closed');
  });

  it('limits the calls per second of an instance', async () => {
    const circuits = new ConnectorCircuits({ failures: 5, halfOpenAfterMs: 1000 });
    const t0 = Date.now();
    for (let i = 0; i < 30; i++) await circuits.run('erp-x:slow', () => Promise.resolve(i), 20);
    // 20 come from the full bucket at once, the next 10 at 20 a second: about half a second.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    const t1 = Date.now();
    for (let i = 0; i < 30; i++) await circuits.run('erp-x:fast', () => Promise.resolve(i));
    expect(Date.now() - t1).toBeLessThan(100);
  });
});
