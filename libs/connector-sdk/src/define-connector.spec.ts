import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { configJsonSchema, parseConnectorConfig, redactConfig, splitSecrets } from './connector-config';
import { ConnectorError } from './connector.error';
import { ConnectorRegistry } from './connector.registry';
import { ConnectorDefinition, defineConnector } from './define-connector';

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

describe('defineConnector', () => {
  it('accepts a well-formed declaration and freezes it', () => {
    const def = demo();
    expect(Object.isFrozen(def)).toBe(true);
    expect(def.id).toBe('erp-demo');
  });

  it('refuses a malformed one, saying every problem', () => {
    expect(() =>
      demo({
        id: 'Demo',
        version: 'one',
        compatibility: '^2',
        secrets: ['password' as never],
        capabilities: {
          pull: [
            { name: 'x', description: '', emits: [] },
            { name: 'x', description: '', emits: [] },
          ],
        },
      }),
    ).toThrow(
      'connector Demo: id "Demo" must look like <kind>-<system> (lower case, dashes); version "one" is not semver; ' +
        'compatibility "^2" does not include SDK 1.0.0; secret "password" is not a validated field of DemoConfig; ' +
        'capability name "x" is used twice',
    );
    expect(() => demo({ capabilities: {} })).toThrow(/declares no capability/);
  });
});

describe('connector configuration', () => {
  const def = demo();

  it('validates and applies defaults', () => {
    const c = parseConnectorConfig(def, { baseUrl: 'http://127.0.0.1:8080', apiKey: 'k' });
    expect(c).toMatchObject({ baseUrl: 'http://127.0.0.1:8080', apiKey: 'k', pageSize: 100 });
  });

  it('names the field that is wrong, refuses unknown fields, and never echoes a secret', () => {
    const fail = (raw: unknown) => {
      try {
        parseConnectorConfig(def, raw);
      } catch (e) {
        return e as ConnectorError;
      }
      throw new Error('expected a failure');
    };
    expect(fail({ baseUrl: 'not a url', apiKey: 'k' })).toMatchObject({
      kind: 'config',
      field: 'config.baseUrl',
    });
    expect(fail({ baseUrl: 'http://h', apiKey: 'k', pagesize: 5 }).message).toMatch(
      /config.pagesize: property pagesize should not exist/,
    );
    expect(fail({ baseUrl: 'http://h', apiKey: 'k', pageSize: 5000 }).field).toBe('config.pageSize');
    expect(fail({ baseUrl: 'http://h', apiKey: 42 }).message).not.toContain('42');
    expect(fail('x').message).toBe('erp-demo: configuration must be an object');
  });

  it('redacts and splits secrets; the JSON Schema marks them', () => {
    const c = parseConnectorConfig(def, { baseUrl: 'http://h', apiKey: 'top-secret' });
    expect(redactConfig(def, c)).toEqual({ baseUrl: 'http://h', apiKey: '********', pageSize: 100 });
    expect(splitSecrets(def, c)).toEqual({
      settings: { baseUrl: 'http://h', pageSize: 100 },
      secrets: { apiKey: 'top-secret' },
    });
    const schema = configJsonSchema(def) as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    expect(schema.properties.apiKey).toMatchObject({ type: 'string', writeOnly: true, 'x-secret': true });
    expect(schema.required).toEqual(expect.arrayContaining(['baseUrl', 'apiKey']));
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
