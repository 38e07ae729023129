import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { ContractRegistry } from './contract.registry';
import { CONTRACTS } from './contracts';

export interface ExportedSchema {
  fileName: string;
  schema: Record<string, unknown>;
}

/**
 * JSON Schema (draft-07) for every contract, envelope included, generated from the class-validator
 * decorators: the code is the source of truth, `libs/contracts/schemas/` is what partners read.
 */
export function exportContractSchemas(registry: ContractRegistry = CONTRACTS): ExportedSchema[] {
  const definitions = validationMetadatasToSchemas({
    classTransformerMetadataStorage: defaultMetadataStorage,
    refPointerPrefix: '#/definitions/',
  });
  for (const def of Object.values(definitions)) allowNullWhenOptional(def as SchemaObject);
  const envelope = definitions['EnvelopeDto'];
  return registry.definitions.map((def) => {
    const payloadName = def.payload.name;
    const needed = collectRefs(payloadName, definitions);
    const properties = {
      ...(envelope.properties as object),
      payload: { $ref: `#/definitions/${payloadName}` },
    };
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `https://schemas.tradelane.dev/${def.name}.v${def.version}.json`,
      title: `${def.name}.v${def.version}`,
      description: def.description,
      'x-tradelane-types': ContractRegistry.typesOf(def),
      ...envelope,
      properties,
      definitions: Object.fromEntries([...needed].sort().map((name) => [name, definitions[name]])),
    };
    return { fileName: `${def.name}.v${def.version}.schema.json`, schema };
  });
}

type SchemaObject = { properties?: Record<string, Record<string, unknown>>; required?: string[] };

/**
 * class-validator's @IsOptional accepts null as well as a missing property; the generated schema
 * only drops the property from `required`. Say it: optional properties also accept null.
 */
function allowNullWhenOptional(schema: SchemaObject): void {
  const required = new Set(schema.required ?? []);
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (required.has(name)) continue;
    schema.properties![name] =
      typeof prop.type === 'string' && !prop.$ref && !prop.oneOf
        ? { ...prop, type: [prop.type, 'null'] }
        : { anyOf: [prop, { type: 'null' }] };
  }
}

function collectRefs(name: string, defs: Record<string, unknown>, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  seen.add(name);
  const text = JSON.stringify(defs[name] ?? {});
  for (const m of text.matchAll(/#\/definitions\/([A-Za-z0-9_]+)/g)) collectRefs(m[1], defs, seen);
  return seen;
}
