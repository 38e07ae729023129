import { configJsonSchema, parseConnectorConfig } from './connector-config';
import { ConnectorError } from './connector.error';
import { demoConnector } from './testing/demo-connector';

const demo = demoConnector;

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

  it('marks secrets in the JSON Schema (the host redacts and seals them: connector-host)', () => {
    const schema = configJsonSchema(def) as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    expect(schema.properties.apiKey).toMatchObject({ type: 'string', writeOnly: true, 'x-secret': true });
    expect(schema.required).toEqual(expect.arrayContaining(['baseUrl', 'apiKey']));
  });
});
