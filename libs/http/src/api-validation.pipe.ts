import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * The API's request validation: unknown fields refused, values transformed to their declared types,
 * and for each field only the reasons that apply. class-validator reports every failed constraint
 * of a field, so `limit=abc` said "must not be greater than 500", "must not be less than 1" and
 * "must be an integer": when a type or format check (`is...`) fails, only that is reported.
 */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new BadRequestException(validationMessages(errors)),
  });
}

export function validationMessages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = `${prefix}${e.property}`;
    const all = Object.entries(e.constraints ?? {});
    const type = all.filter(([k]) => /^is[A-Z]/.test(k) && k !== 'isNotEmpty');
    const own = (type.length ? type : all).map(([, m]) =>
      prefix && m.startsWith(`${e.property} `) ? `${prefix}${m}` : m,
    );
    return [...own, ...validationMessages(e.children ?? [], `${path}.`)];
  });
}

/**
 * `@Transform(queryBoolean)`: a query string's `true` / `false` as booleans (anything else is left
 * for @IsBoolean to refuse).
 */
export const queryBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;
