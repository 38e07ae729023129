import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { ContractRegistry } from './contract.registry';
import { CONTRACTS } from './contracts';
import { Envelope, EnvelopeDto } from './envelope';

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
  let raw: unknown;
  try {
    raw = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (e) {
    throw new InvalidMessageError(`body is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidMessageError('body must be a JSON object (the message envelope)');
  }
  return validateEnvelope(raw as Record<string, unknown>, registry);
}

/** Validates an already-parsed envelope; returns it with the payload as an instance of its contract class. */
export function validateEnvelope(
  raw: Record<string, unknown>,
  registry: ContractRegistry = CONTRACTS,
): Envelope<object> {
  const envelope = plainToInstance(EnvelopeDto, raw);
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
