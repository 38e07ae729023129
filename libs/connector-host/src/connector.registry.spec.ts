import { parseConnectorConfig } from '@tradelane/connector-sdk';
import { demoConnector } from '@tradelane/connector-sdk/testing';
import { redactConfig, splitSecrets } from './config-sealing';
import { ConnectorRegistry } from './connector.registry';

const demo = demoConnector;

describe('config sealing', () => {
  it('redacts and splits secrets', () => {
    const def = demo();
    const c = parseConnectorConfig(def, { baseUrl: 'http://h', apiKey: 'top-secret' });
    expect(redactConfig(def, c)).toEqual({ baseUrl: 'http://h', apiKey: '********', pageSize: 100 });
    expect(splitSecrets(def, c)).toEqual({
      settings: { baseUrl: 'http://h', pageSize: 100 },
      secrets: { apiKey: 'top-secret' },
    });
  });
});

describe('ConnectorRegistry', () => {
  it('finds connectors by id and capability, and refuses two with one id', () => {
    const registry = new ConnectorRegistry();
    const def = demo();
    registry.register(def);
    registry.register(def);
    expect(registry.get('erp-demo')).toBe(def);
    expect(registry.withCapability('pull')).toEqual([def]);
    expect(registry.withCapability('send', 'crm.customer.updated.v1')).toEqual([def]);
    expect(registry.withCapability('send', 'crm.customer.merged.v1')).toEqual([]);
    expect(registry.withCapability('accept')).toEqual([]);
    expect(() => registry.register(demo({ version: '2.0.0' }))).toThrow(
      /registered twice \(versions 1.2.0 and 2.0.0\)/,
    );
    expect(() => registry.get('erp-nope')).toThrow(
      'no connector "erp-nope" is installed (installed: erp-demo)',
    );
  });
});
