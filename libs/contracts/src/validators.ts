import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/** The date-time is not before the one in `other` (when both are given). */
export function IsNotBefore(other: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isNotBefore',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [other],
      options: { message: `$property must not be before ${other}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          const before = (args.object as Record<string, unknown>)[other];
          if (typeof value !== 'string' || typeof before !== 'string') return true;
          return Date.parse(value) >= Date.parse(before);
        },
      },
    });
}
