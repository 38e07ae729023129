import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ContractRegistry } from './contract.registry';
import { CONTRACTS } from './contracts';
import { Envelope, EnvelopeDto } from './envelope';
import { exportContractSchemas } from './json-schema';
import { UNSTORABLE_TEXT } from './storable-text';
import { taxIdProblem } from './tax-id';
import { NOT_BEFORE_KEYWORD, notBefore, TAX_ID_KEYWORD } from './validators';

export const INVALID_MESSAGE = 'INVALID_MESSAGE';

/** A message that can never be processed as sent: malformed JSON, unknown type, failed validation. */
export class InvalidMessageError extends Error {
  readonly code = INVALID_MESSAGE;
  constructor(
    message: string,
    /** Dotted path of the first field that failed (`payload.lines.0.quantity`), when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'InvalidMessageError';
  }
}

/** Flattens class-validator's error tree into `path: reason` entries, deepest first. */
export function flattenValidationErrors(
  errors: ValidationError[],
  prefix = '',
): { field: string; reason: string }[] {
  const out: { field: string; reason: string }[] = [];
  for (const err of errors) {
    const field = prefix ? `${prefix}.${err.property}` : err.property;
    for (const reason of Object.values(err.constraints ?? {})) out.push({ field, reason });
    if (err.children?.length) out.push(...flattenValidationErrors(err.children, field));
  }
  return out;
}

function assertValid(target: object, prefix: string): void {
  const problems = flattenValidationErrors(
    validateSync(target, { whitelist: true, forbidNonWhitelisted: false, forbidUnknownValues: true }),
    prefix,
  );
  if (problems.length) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new InvalidMessageError(`${first.field}: ${first.reason}${more}`, first.field);
  }
}

/**
 * Parses and validates a raw message body: JSON, envelope, known type, payload against its contract.
 * Throws {@link InvalidMessageError} naming the field that failed.
 */
export function parseEnvelope(
  body: Buffer | string,
  registry: ContractRegistry = CONTRACTS,
): Envelope<object> {
  let text: string;
  try {
    // A Latin-1 byte on the bus was silently turned into U+FFFD: refuse it instead.
    text = typeof body === 'string' ? body : UTF8.decode(body);
  } catch {
    throw new InvalidMessageError(
      'body is not valid UTF-8 (a Latin-1 or Windows-1252 sender? JSON is UTF-8)',
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InvalidMessageError(`body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidMessageError('body must be a JSON object (the message envelope)');
  }
  screen(raw, '', 0);
  const envelope = raw as Record<string, unknown>;
  const fast = typeof envelope.type === 'string' ? fastValidator(envelope.type, registry) : undefined;
  const parsed = fast?.(envelope) ? plainEnvelope(envelope) : validateEnvelope(envelope, registry);
  assertEventTime(parsed.occurredAt);
  return parsed;
}

/**
 * The first way an envelope fails its contract, or undefined when it is valid: checked as it will
 * be sent (a JSON copy, so the caller's object is untouched by the schema's removal of unknown
 * properties), the contract's JSON Schema first (fast), class-validator (the authority) naming the
 * field. What the connector host, the conformance kit and file-import check a record with.
 */
export function contractProblem(
  envelope: Envelope<unknown>,
  registry: ContractRegistry = CONTRACTS,
): { field: string; message: string } | undefined {
  const plain = JSON.parse(JSON.stringify(envelope)) as Record<string, unknown>;
  if (fastValidator(envelope.type, registry)?.(plain)) return undefined;
  try {
    validateEnvelope(plain, registry);
    return undefined;
  } catch (e) {
    if (!(e instanceof InvalidMessageError)) throw e;
    return { field: e.field ?? 'payload', message: e.message };
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** Deeper than this is not a business document (and recursion on it can overflow the stack). */
export const MAX_JSON_DEPTH = 32;

/**
 * What no contract can express and PostgreSQL would refuse later (as if it were transient): a NUL
 * or a lone surrogate in a string, a number JSON cannot keep (1e400 parses as Infinity), nesting
 * deeper than MAX_JSON_DEPTH. Refused here, naming the field.
 */
function screen(v: unknown, path: string, depth: number): void {
  if (depth > MAX_JSON_DEPTH)
    throw new InvalidMessageError(
      `${path || 'body'}: nested deeper than ${MAX_JSON_DEPTH} levels`,
      path || undefined,
    );
  if (typeof v === 'string') {
    if (UNSTORABLE_TEXT.test(v))
      throw new InvalidMessageError(`${path}: contains a NUL character or a lone UTF-16 surrogate`, path);
  } else if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw new InvalidMessageError(`${path}: ${v} is not a number that can be stored`, path);
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) screen(v[i], `${path}.${i}`, depth + 1);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) screen(x, path ? `${path}.${k}` : k, depth + 1);
  }
}

/**
 * An event time far in the future would pin a record forever (every genuine update looks older);
 * refused beyond now + MESSAGING_MAX_FUTURE_SKEW_SECONDS (default 3600: a partner's clock may be off).
 */
function assertEventTime(occurredAt: string): void {
  const skew = Number(process.env.MESSAGING_MAX_FUTURE_SKEW_SECONDS ?? 3600) * 1000;
  if (Date.parse(occurredAt) > Date.now() + skew)
    throw new InvalidMessageError(
      `occurredAt: ${occurredAt} is more than ${skew / 1000} s in the future (a wrong clock, or a bad value)`,
      'occurredAt',
    );
}

const fastValidators = new WeakMap<ContractRegistry, Map<string, ValidateFunction>>();

/**
 * Fast path: the contracts' exported JSON Schemas (what partners read), compiled with ajv. A
 * message it accepts is valid; anything it rejects goes through class-validator, which stays the
 * authority and names the field. class-validator alone cost ~20 µs a message, most of the
 * pipeline's CPU. A unit test keeps the two in step on invalid input.
 */
export function fastValidator(
  type: string,
  registry: ContractRegistry = CONTRACTS,
): ValidateFunction | undefined {
  let byType = fastValidators.get(registry);
  if (!byType) {
    byType = new Map();
    // removeAdditional mirrors class-validator's whitelist: unknown properties are dropped.
    const ajv = contractAjv({ removeAdditional: 'all', allErrors: false });
    for (const { schema } of exportContractSchemas(registry)) {
      const validate = ajv.compile(schema);
      for (const t of schema['x-tradelane-types'] as string[]) byType.set(t, validate);
    }
    fastValidators.set(registry, byType);
  }
  return byType.get(type);
}

/**
 * An ajv that knows the contracts' formats and keywords (base64, not-before, tax ids): what the
 * pipeline validates messages with, and what the partner API validates bodies with.
 */
export function contractAjv(o: { removeAdditional?: 'all' | false; allErrors: boolean }): Ajv {
  // multipleOfPrecision: 10.1 is a multiple of 0.0001 although 10.1 / 0.0001 is not an integer in floats.
  const ajv = new Ajv({
    strict: false,
    removeAdditional: o.removeAdditional ?? false,
    allErrors: o.allErrors,
    multipleOfPrecision: 9,
  });
  addFormats(ajv);
  // class-validator-jsonschema writes @IsBase64 as format base64, which ajv-formats does not define.
  ajv.addFormat('base64', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  ajv.addKeyword({
    keyword: NOT_BEFORE_KEYWORD,
    schemaType: 'string',
    validate: (
      other: string,
      value: unknown,
      _schema: unknown,
      ctx?: { parentData?: Record<string, unknown> },
    ) => notBefore(value, ctx?.parentData?.[other]),
  });
  ajv.addKeyword({
    keyword: TAX_ID_KEYWORD,
    schemaType: 'string',
    validate: (
      schemeProperty: string,
      value: unknown,
      _schema: unknown,
      ctx?: { parentData?: Record<string, unknown> },
    ) => {
      const scheme = ctx?.parentData?.[schemeProperty];
      return (
        typeof value !== 'string' || !taxIdProblem(value, typeof scheme === 'string' ? scheme : undefined)
      );
    },
  });
  return ajv;
}

function plainEnvelope(raw: Record<string, unknown>): Envelope<object> {
  return {
    id: (raw.id as string).toLowerCase(),
    type: raw.type as string,
    source: raw.source as string,
    tenant: raw.tenant as string,
    occurredAt: raw.occurredAt as string,
    correlationId: raw.correlationId as string,
    causationId: (raw.causationId as string | undefined) ?? null,
    key: raw.key as string,
    payload: raw.payload as object,
  };
}

/** Validates an already-parsed envelope; returns it with the payload as an instance of its contract class. */
export function validateEnvelope(
  raw: Record<string, unknown>,
  registry: ContractRegistry = CONTRACTS,
): Envelope<object> {
  // The envelope is flat: giving the parsed object the DTO's prototype is all class-validator needs
  // (class-transformer's deep copy cost more than the validation itself on the hot path).
  const envelope: EnvelopeDto = Object.assign(Object.create(EnvelopeDto.prototype), raw);
  if (envelope.causationId === undefined) envelope.causationId = null;
  assertValid(envelope, '');
  const contract = registry.get(envelope.type);
  if (!contract) throw new InvalidMessageError(`type: unknown message type "${envelope.type}"`, 'type');
  const payload = plainToInstance(contract.payload, raw.payload as object);
  assertValid(payload, 'payload');
  return {
    id: envelope.id.toLowerCase(),
    type: envelope.type,
    source: envelope.source,
    tenant: envelope.tenant,
    occurredAt: envelope.occurredAt,
    correlationId: envelope.correlationId,
    causationId: envelope.causationId ?? null,
    key: envelope.key,
    payload,
  };
}
