import { CONTRACTS, exportContractSchemas } from '@tradelane/contracts';
import Ajv, { ErrorObject } from 'ajv';
import { IANAZone } from 'luxon';

/** The record types a file can be imported as (the canonical inbound contracts). */
export const IMPORT_TYPES = [
  'customer.upserted',
  'order.upserted',
  'delivery.status-changed',
  'invoice.upserted',
  'interaction.recorded',
  'inventory.counted',
] as const;
export type ImportType = (typeof IMPORT_TYPES)[number];

export const VALUE_KINDS = ['string', 'number', 'integer', 'boolean', 'timestamp', 'date'] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

/**
 * Where one contract field comes from: a column name (its text), or a column with a conversion,
 * or a constant. Empty cells (and `nullValues`) leave the field out unless `default` or `required`.
 */
export type FieldSpec =
  | string
  | {
      column?: string;
      value?: string | number | boolean;
      /** Several columns in one text, `{DataAreaId}/{CUSTOMERACCOUNT}` (a key unique per company). */
      template?: string;
      as?: ValueKind;
      /** luxon format for `timestamp` / `date` cells that are not ISO 8601 (`M/d/yyyy H:mm`). */
      format?: string;
      /** Cell text (case-insensitive) → value, e.g. `{"delivered": "DELIVERED"}`; unmapped text is an error. */
      map?: Record<string, string | number | boolean>;
      /** Split the cell into a list of strings (tracking numbers `a|b`). */
      split?: string;
      default?: string | number | boolean;
      required?: boolean;
    };

/** A list field: one element per row of the record (`each`), or a fixed list from one row (`items`). */
export type ListSpec = { each: Record<string, FieldSpec> } | { items: Record<string, FieldSpec>[] };

export interface RecordMapping {
  type: ImportType;
  /** The record's key; default: its `externalId`. Rows with the same key make one record. */
  key?: FieldSpec;
  /** Event time at the source; default: when the file was taken (its modification time when dropped). */
  occurredAt?: FieldSpec;
  /** A column that must be filled for a row to produce this record (an order row without a shipment). */
  when?: string;
  fields: Record<string, FieldSpec | ListSpec>;
}

export interface ImportMapping {
  /** Default: from the file name (`.csv`, `.ndjson`/`.jsonl`, `.json`), else csv. */
  format?: 'csv' | 'ndjson' | 'json';
  /** Default utf-8 (a BOM is skipped); `windows-1252` for Excel exports. Bytes invalid in the encoding are refused. */
  encoding?: 'utf-8' | 'windows-1252' | 'iso-8859-1';
  /** CSV: the header row names the columns. Delimiter default: the most frequent of , ; tab | in the header. */
  csv?: {
    delimiter?: string;
    quote?: string;
    /** A column whose text may hold the delimiter unquoted: a row's surplus cells are joined back into it. */
    joinExtraCellsInto?: string;
  };
  /** JSON: the property holding the array of rows (default: the document is the array). */
  jsonPath?: string;
  /** Cell texts that mean "empty" besides the empty string, e.g. `["NULL", "n/a"]`. */
  nullValues?: string[];
  /** Numbers are written `1.234,56`. */
  decimalComma?: boolean;
  /** IANA zone of date-times written without an offset (default UTC). */
  timeZone?: string;
  records: RecordMapping[];
}

const FIELD_SPEC = {
  anyOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        column: { type: 'string', minLength: 1 },
        value: { type: ['string', 'number', 'boolean'] },
        template: { type: 'string', pattern: '\\{[^}]+\\}' },
        as: { enum: VALUE_KINDS },
        format: { type: 'string', minLength: 1 },
        map: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
        split: { type: 'string', minLength: 1 },
        default: { type: ['string', 'number', 'boolean'] },
        required: { type: 'boolean' },
      },
      oneOf: [{ required: ['column'] }, { required: ['value'] }, { required: ['template'] }],
    },
  ],
};
const FIELDS = { type: 'object', minProperties: 1, additionalProperties: { $ref: '#/definitions/field' } };

/** JSON Schema of a mapping (checked with ajv; the connector's README documents it). */
export const IMPORT_MAPPING_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['records'],
  definitions: { field: FIELD_SPEC },
  properties: {
    format: { enum: ['csv', 'ndjson', 'json'] },
    encoding: { enum: ['utf-8', 'windows-1252', 'iso-8859-1'] },
    csv: {
      type: 'object',
      additionalProperties: false,
      properties: {
        delimiter: { type: 'string', minLength: 1, maxLength: 1 },
        quote: { type: 'string', minLength: 1, maxLength: 1 },
        joinExtraCellsInto: { type: 'string', minLength: 1 },
      },
    },
    jsonPath: { type: 'string', minLength: 1 },
    nullValues: { type: 'array', items: { type: 'string' } },
    decimalComma: { type: 'boolean' },
    timeZone: { type: 'string', minLength: 1 },
    records: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'fields'],
        properties: {
          type: { enum: IMPORT_TYPES },
          key: { $ref: '#/definitions/field' },
          occurredAt: { $ref: '#/definitions/field' },
          when: { type: 'string', minLength: 1 },
          fields: {
            type: 'object',
            minProperties: 1,
            additionalProperties: {
              anyOf: [
                { $ref: '#/definitions/field' },
                {
                  type: 'object',
                  additionalProperties: false,
                  required: ['each'],
                  properties: { each: FIELDS },
                },
                {
                  type: 'object',
                  additionalProperties: false,
                  required: ['items'],
                  properties: { items: { type: 'array', minItems: 1, items: FIELDS } },
                },
              ],
            },
          },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: false });
const validateShape = ajv.compile(IMPORT_MAPPING_SCHEMA);

function ajvProblem(e: ErrorObject): string {
  const at = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(the mapping)';
  if (e.keyword === 'additionalProperties')
    return `${at}: unknown setting "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'enum')
    return `${at}: must be one of ${(e.params as { allowedValues: string[] }).allowedValues.join(', ')}`;
  return `${at}: ${e.message}`;
}

type JsonSchema = {
  $ref?: string;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  type?: string | string[];
};

/** The payload schema of a record type and its definitions (from the published contract schemas). */
function payloadSchema(type: ImportType): { root: JsonSchema; definitions: Record<string, JsonSchema> } {
  const exported = exportContractSchemas(CONTRACTS).find((s) =>
    (s.schema['x-tradelane-types'] as string[]).includes(`erp.${type}.v1`),
  );
  if (!exported) throw new Error(`no published contract for ${type}`);
  const definitions = exported.schema.definitions as Record<string, JsonSchema>;
  const properties = exported.schema.properties as Record<string, JsonSchema>;
  return { root: deref(properties.payload, definitions), definitions };
}

function deref(s: JsonSchema, definitions: Record<string, JsonSchema>): JsonSchema {
  if (s.$ref) return deref(definitions[s.$ref.replace('#/definitions/', '')], definitions);
  const nonNull = s.anyOf?.filter((a) => a.type !== 'null');
  if (nonNull?.length === 1) return deref(nonNull[0], definitions);
  return s;
}

/** The element schema of a list property (`lines`, `parties`), or undefined when it is not a list of objects. */
function elementOf(prop: JsonSchema, definitions: Record<string, JsonSchema>): JsonSchema | undefined {
  const p = deref(prop, definitions);
  if (!p.items) return undefined;
  const el = deref(p.items, definitions);
  return el.properties ? el : undefined;
}

/**
 * Every problem with a mapping, each naming where (`records[1].fields.promisedDate.as`): its shape,
 * time zone, and that every field it fills exists in the record type's contract. Empty: usable.
 */
export function mappingProblems(raw: unknown): string[] {
  if (!validateShape(raw)) return (validateShape.errors ?? []).slice(0, 1).map(ajvProblem);
  const m = raw as ImportMapping;
  const problems: string[] = [];
  if (m.timeZone && !IANAZone.isValidZone(m.timeZone))
    problems.push(`timeZone: "${m.timeZone}" is not an IANA time zone (e.g. Europe/Amsterdam)`);
  m.records.forEach((r, i) => {
    const { root, definitions } = payloadSchema(r.type);
    const known = (schema: JsonSchema, fields: Record<string, FieldSpec | ListSpec>, at: string) => {
      for (const [name, spec] of Object.entries(fields)) {
        const prop = schema.properties?.[name];
        if (!prop) {
          problems.push(
            `${at}.${name}: ${r.type} has no field "${name}" (fields: ${Object.keys(schema.properties ?? {}).join(', ')})`,
          );
          continue;
        }
        if (spec && typeof spec === 'object' && ('each' in spec || 'items' in spec)) {
          const el = elementOf(prop, definitions);
          if (!el) {
            problems.push(`${at}.${name}: is not a list of objects in ${r.type}: map it from a column`);
            continue;
          }
          if ('each' in spec) known(el, spec.each, `${at}.${name}.each`);
          else spec.items.forEach((item, k) => known(el, item, `${at}.${name}.items[${k}]`));
        }
      }
    };
    known(root, r.fields, `records[${i}].fields`);
    if (!r.key && !('externalId' in r.fields))
      problems.push(`records[${i}]: give "key" or map "externalId" (the record's key)`);
  });
  return problems;
}

/** What a contract field holds, for converting a cell without an explicit `as`. */
export interface FieldShape {
  kind: ValueKind | 'strings';
  /** Allowed values: a cell matching one but for case is taken as it (`delivered` → `DELIVERED`). */
  enum?: string[];
}

const shapesCache = new Map<ImportType, Map<string, FieldShape>>();

/**
 * The shape of every field of a record type by path without list indices (`lines.quantity`),
 * read from the published contract schema: numbers, date-times, dates, yes/no, string lists.
 */
export function contractFieldShapes(type: ImportType): Map<string, FieldShape> {
  const cached = shapesCache.get(type);
  if (cached) return cached;
  const { root, definitions } = payloadSchema(type);
  const out = new Map<string, FieldShape>();
  const walk = (schema: JsonSchema, prefix: string) => {
    for (const [name, raw] of Object.entries(schema.properties ?? {})) {
      const p = deref(raw, definitions) as JsonSchema & {
        format?: string;
        pattern?: string;
        enum?: string[];
      };
      const types = ([] as string[]).concat(p.type ?? []);
      const path = `${prefix}${name}`;
      const el = elementOf(p, definitions);
      if (el) walk(el, `${path}.`);
      else if (types.includes('array')) out.set(path, { kind: 'strings' });
      else if (types.includes('integer')) out.set(path, { kind: 'integer' });
      else if (types.includes('number')) out.set(path, { kind: 'number' });
      else if (types.includes('boolean')) out.set(path, { kind: 'boolean' });
      else if (p.format === 'date-time') out.set(path, { kind: 'timestamp' });
      else if (p.pattern?.startsWith('^\\d{4}-') && !p.pattern.includes('T')) out.set(path, { kind: 'date' });
      else out.set(path, { kind: 'string', enum: p.enum?.filter((v) => typeof v === 'string') });
    }
  };
  walk(root, '');
  shapesCache.set(type, out);
  return out;
}
