import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { taxIdProblem } from './tax-id';

/** JSON Schema keyword for {@link IsNotBefore}: the date-time is not before the sibling property it names. */
export const NOT_BEFORE_KEYWORD = 'x-not-before';

/**
 * The date-time is not before the one in `other` (when both are given). Also written into the
 * exported JSON Schema as `x-not-before`, which the fast validation path enforces too.
 */
export function IsNotBefore(other: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    JSONSchema({ [NOT_BEFORE_KEYWORD]: other } as Parameters<typeof JSONSchema>[0])(
      target,
      propertyName as string,
    );
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
    JSONSchema({ [TAX_ID_KEYWORD]: schemeProperty } as Parameters<typeof JSONSchema>[0])(
      target,
      propertyName as string,
    );
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
