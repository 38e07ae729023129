import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
// The package's index does not re-export it; its decorators module is where @JSONSchema keeps its metadata.
import { getMetadataSchema } from 'class-validator-jsonschema/build/decorators';
import { taxIdProblem } from './tax-id';

/**
 * Adds keywords to a property's JSON Schema: class-validator-jsonschema keeps one @JSONSchema per
 * property, so two of our decorators on one field (a timestamp that is also not-before another)
 * would otherwise drop the first one's keywords.
 */
function addJsonSchema(target: object, propertyName: string, extra: Record<string, unknown>): void {
  const existing = getMetadataSchema(target, propertyName);
  const base = typeof existing === 'object' ? existing : {};
  JSONSchema({ ...base, ...extra } as Parameters<typeof JSONSchema>[0])(target, propertyName);
}

/** JSON Schema keyword for {@link IsNotBefore}: the date-time is not before the sibling property it names. */
export const NOT_BEFORE_KEYWORD = 'x-not-before';

/**
 * The date-time is not before the one in `other` (when both are given). Also written into the
 * exported JSON Schema as `x-not-before`, which the fast validation path enforces too.
 */
export function IsNotBefore(other: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    addJsonSchema(target, propertyName as string, { [NOT_BEFORE_KEYWORD]: other });
    registerDecorator({
      name: 'isNotBefore',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [other],
      options: { message: `$property must not be before ${other}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const before = (args.object as Record<string, unknown>)[other];
          return notBefore(value, before);
        },
      },
    });
  };
}

export function notBefore(value: unknown, before: unknown): boolean {
  if (typeof value !== 'string' || typeof before !== 'string') return true;
  return Date.parse(value) >= Date.parse(before);
}

/** The largest amount the store holds (numeric(14,4)); larger ones are refused at the contract. */
export const AMOUNT_MAX = 9_999_999_999;
/** The largest quantity accepted (order lines, counts). */
export const QUANTITY_MAX = 999_999_999;

/** Money: at most 4 decimals (the scale amounts are stored with), said in the JSON Schema too. */
export const MONEY_SCHEMA = { multipleOf: 0.0001 };

/** JSON Schema keyword for {@link IsTaxIdOfScheme}: the value is valid for the sibling `scheme` when it is a known one. */
export const TAX_ID_KEYWORD = 'x-tax-id-of';

/**
 * A tax id's value is valid for its scheme where the scheme's format is known (taxIdProblem); an
 * unknown scheme is not checked. Written into the JSON Schema as `x-tax-id-of`, enforced by the fast path.
 */
export function IsTaxIdOfScheme(schemeProperty: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    addJsonSchema(target, propertyName as string, { [TAX_ID_KEYWORD]: schemeProperty });
    registerDecorator({
      name: 'isTaxIdOfScheme',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [schemeProperty],
      options: {
        message: (args: ValidationArguments) =>
          `${args.property} ${taxIdProblem(String(args.value), (args.object as Record<string, string>)[schemeProperty])}`,
      },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const scheme = (args.object as Record<string, unknown>)[schemeProperty];
          return (
            typeof value !== 'string' || !taxIdProblem(value, typeof scheme === 'string' ? scheme : undefined)
          );
        },
      },
    });
  };
}

/**
 * RFC 3339 date-times only (2026-11-23T09:14:00Z, 2026-11-23T10:14:00.123+01:00), years 1800-9999:
 * ISO 8601 also allows week dates (2026-W45-1) and year 0000, which PostgreSQL refuses, so they
 * used to be retried as if transient. Also the JSON Schema (format date-time plus the pattern).
 */
export const TIMESTAMP_PATTERN =
  '^(1[89]\\d{2}|[2-9]\\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:([0-5]\\d|60)(\\.\\d{1,9})?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$';
const TIMESTAMP = new RegExp(TIMESTAMP_PATTERN);

export function isTimestamp(value: unknown): boolean {
  if (typeof value !== 'string' || !TIMESTAMP.test(value)) return false;
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate() && !Number.isNaN(Date.parse(value));
}

export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    addJsonSchema(target, propertyName as string, {
      type: 'string',
      format: 'date-time',
      pattern: TIMESTAMP_PATTERN,
    });
    registerDecorator({
      name: 'isTimestamp',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: '$property must be an RFC 3339 date-time with a zone (2026-11-23T09:14:00Z), year 1800-9999',
        ...options,
      },
      validator: { validate: isTimestamp },
    });
  };
}
