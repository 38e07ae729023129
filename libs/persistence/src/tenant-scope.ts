import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the current request may reach: the tenant of its principal (none: system work, the local
 * administrator). The access interceptor sets it per HTTP request; Database sets it on every
 * transaction, where row-level security enforces it.
 */
interface RequestScope {
  tenant: string | null;
  /** A partner organisation's request: it sees only the records where one of its customers is a party. */
  partner: string | null;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** Runs `fn` (a request's handler) scoped to `tenant`; null = every tenant (system work, the local administrator). */
export function runScoped<T>(tenant: string | null, fn: () => T, partner: string | null = null): T {
  if (partner !== null && tenant === null) throw new Error('a partner scope needs its tenant');
  return scope.run({ tenant, partner }, fn);
}

/** The tenant the current request is scoped to, or undefined outside a scoped request. */
export function scopedTenant(): string | undefined {
  return scope.getStore()?.tenant ?? undefined;
}

/**
 * The partner organisation the current request is scoped to (a partner credential), or undefined.
 * Database runs every statement of such a request in a transaction set to it, where row-level
 * security (the partner scope policies) leaves only the partner's records.
 */
export function scopedPartner(): string | undefined {
  return scope.getStore()?.partner ?? undefined;
}

/**
 * The tenant a request works on when it names none: its principal's, else `default`. A request
 * scoped to a tenant never reaches another one (the access guard refuses `?tenant=` of another).
 */
export function requestTenant(asked?: string): string {
  return asked ?? scopedTenant() ?? 'default';
}

/** Whether a record of `tenant` is visible to the current request. */
export function visibleToRequest(tenant: string): boolean {
  const t = scopedTenant();
  return t === undefined || t === tenant;
}
