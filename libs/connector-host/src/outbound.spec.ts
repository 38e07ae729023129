import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { OutboundPolicy, rangeOf } from './outbound';

describe('outbound policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.5', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd12::1', 'unique-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['8.8.8.8', undefined],
    ['172.32.0.1', undefined],
    ['2001:4860:4860::8888', undefined],
  ])('%s is %s', (ip, range) => expect(rangeOf(ip)).toBe(range));

  it('refuses private targets unless allowed, naming the setting', async () => {
    const none = OutboundPolicy.fromSpec('');
    expect(await none.checkUrl('http://169.254.169.254/latest/meta-data')).toMatch(
      /metadata addresses are not reachable for connectors \(allow them with TRADELANE_OUTBOUND_ALLOW=metadata\)/,
    );
    expect(await none.checkUrl('http://localhost:5432')).toMatch(/localhost resolves to a loopback address/);
    expect(await none.checkUrl('http://[::1]:8080')).toMatch(/loopback/);
    expect(await none.checkUrl('ftp://example.com')).toMatch(/only http and https/);
    expect(await OutboundPolicy.fromSpec('loopback').checkUrl('http://127.0.0.1:9')).toBeUndefined();
    expect(() => OutboundPolicy.fromSpec('intranet')).toThrow(/not one of loopback, private/);
  });

  it('refuses at connect time too, after DNS (a name resolving inward, a rebinding)', async () => {
    const server = http.createServer((_req, res) => res.end('inside')).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    const get = (agent: http.Agent) =>
      new Promise<string>((resolve, reject) =>
        http
          .get({ host: 'localhost', port, agent }, (res) => {
            res.resume();
            resolve(String(res.statusCode));
          })
          .on('error', reject),
      );
    await expect(get(OutboundPolicy.fromSpec('').agents().httpAgent)).rejects.toMatchObject({
      code: 'EOUTBOUNDREFUSED',
    });
    await expect(get(OutboundPolicy.fromSpec('loopback').agents().httpAgent)).resolves.toBe('200');
    server.close();
  });

  it('narrows to what a tenant allows, never beyond the ceiling, and says where to allow a range', () => {
    const hint = (r: string) => `the tenant's setting (${r})`;
    const ceiling = OutboundPolicy.fromSpec('loopback,private');
    const tenant = ceiling.within(['private', 'metadata'], hint);
    expect([...tenant.allowed]).toEqual(['private']);
    expect(tenant.refusal('10.1.2.3')).toBeUndefined();
    // Within the ceiling: the tenant's own setting allows it; beyond: only the installation's.
    expect(tenant.refusal('127.0.0.1')).toBe(
      "loopback addresses are not reachable for connectors (allow them with the tenant's setting (loopback))",
    );
    expect(tenant.refusal('169.254.169.254')).toBe(
      'metadata addresses are not reachable for connectors (allow them with TRADELANE_OUTBOUND_ALLOW=metadata)',
    );
    expect([...OutboundPolicy.fromSpec('*').within(['*'], hint).allowed]).toEqual(['*']);
    expect(tenant.agents()).toBe(tenant.agents()); // one pair per policy
  });
});
