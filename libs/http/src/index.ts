/**
 * The HTTP platform every Tradelane process serves with: the refusal a service throws (AppError)
 * and its mapping to HTTP, the exception filter (503 with Retry-After while the database is away,
 * 400 for values PostgreSQL refuses), the validation pipe, the body parsers. No domain code.
 */
export * from './api-exception.filter';
export * from './api-validation.pipe';
export * from './app-error.filter';
export * from './app.errors';
export * from './audit-notes';
export * from './http-app';
export * from './permissions';
export * from './problem-details';
// The request's tenant scope lives with the database (it sets the tenant of each transaction).
export {
  requestTenant,
  runScoped,
  scopedPartner,
  scopedTenant,
  visibleToRequest,
} from '@tradelane/persistence';
