import { ConnectorDefinition, defineConnector, parseConnectorConfig } from '@tradelane/connector-sdk';
import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { redactConfig, splitSecrets } from './config-sealing';
import { ConnectorRegistry } from './connector.registry';

class DemoConfig {
  @IsUrl({ require_tld: false }) baseUrl: string;
  @IsString() apiKey: string;
  @IsOptional() @IsInt() @Min(1) @Max(1000) pageSize = 100;
}

const runtime = () => ({
  check: async () => ({ ok: true, code: 'ok' as const, message: 'reachable' }),
  discover: async () => ({ streams: ['orders'] }),
});

const demo = (patch: Partial<ConnectorDefinition<DemoConfig>> = {}) =>
  defineConnector<DemoConfig>({
    id: 'erp-demo',
    kind: 'erp',
    version: '1.2.0',
    compatibility: '^1',
    description: 'Demo',
    configSchema: DemoConfig,
    secrets: ['apiKey'],
    capabilities: {
      pull: [{ name: 'orders', description: 'Orders changed since the cursor', emits: ['order.upserted'] }],
      send: ['crm.customer.updated.v1'],
    },
    create: runtime,
    ...patch,
  });

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
