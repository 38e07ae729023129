import { ClassConstructor, plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { ConnectorError } from './connector.error';
import type { ConnectorDefinition } from './define-connector';

/** Properties of a configuration class that carry class-validator rules (its documented fields). */
export function configFields(schema: ClassConstructor<object>): string[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(metas.map((m) => m.propertyName))];
}

function firstFailure(errors: ValidationError[], prefix = ''): { field: string; message: string } | null {
  for (const e of errors) {
    const field = `${prefix}${e.property}`;
    if (e.constraints) return { field, message: Object.values(e.constraints)[0] };
    const nested = firstFailure(e.children ?? [], `${field}.`);
    if (nested) return nested;
  }
  return null;
}

/**
 * Validates one instance's configuration against the connector's schema (unknown fields are
 * refused, so a typo does not pass silently). Throws a `config` ConnectorError naming the field;
 * the message never contains a secret's value.
 */
export function parseConnectorConfig<C extends object>(
  def: Pick<ConnectorDefinition<C>, 'id' | 'configSchema'>,
  raw: unknown,
): C {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConnectorError('config', `${def.id}: configuration must be an object`);
  const config = plainToInstance(def.configSchema, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true, forbidNonWhitelisted: true });
  const failure = firstFailure(errors);
  if (failure)
    throw new ConnectorError('config', `${def.id}: config.${failure.field}: ${failure.message}`, {
      field: `config.${failure.field}`,
    });
  // Settings are stored and shown in clear: a URL must not carry a user or password (http://u:p@host).
  for (const [field, value] of Object.entries(config)) {
    if (typeof value !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      continue;
    }
    if (url.username || url.password)
      throw new ConnectorError(
        'config',
        `${def.id}: config.${field}: a URL must not contain a user name or password (they would be stored in clear): put them in the connector's secret fields`,
        { field: `config.${field}` },
      );
  }
  return config;
}

/** JSON Schema of the configuration, secrets marked (`writeOnly`, `x-secret`): for docs, API and CLI. */
export function configJsonSchema(
  def: Pick<ConnectorDefinition, 'configSchema' | 'secrets'>,
): Record<string, unknown> {
  const schema = targetConstructorToSchema(def.configSchema) as {
    properties?: Record<string, Record<string, unknown>>;
  };
  for (const s of def.secrets)
    if (schema.properties?.[s])
      schema.properties[s] = { ...schema.properties[s], writeOnly: true, 'x-secret': true };
  return schema as Record<string, unknown>;
}
