import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

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
