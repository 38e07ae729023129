/**
 * How the API authenticates (`TRADELANE_AUTH`):
 * - `required`: every route but the public ones needs a bearer token (a session or an API key).
 * - `local`: as `required`, and a request without credentials that comes from this machine
 *   (loopback address, loopback Host header, no foreign Origin) acts as the local administrator.
 *   The default only for the embedded trial listening on 127.0.0.1 (README's first command); a
 *   process on PostgreSQL or listening beyond loopback defaults to `required`.
 */
export type AuthMode = 'required' | 'local';

export interface AccessConfig {
  mode: AuthMode;
  /** Lifetime of a session after log-in. */
  sessionTtlMs: number;
  /** Failed log-ins before a lockout; each further failure doubles it (from lockoutBaseMs, up to lockoutMaxMs). */
  lockoutAfter: number;
  lockoutBaseMs: number;
  lockoutMaxMs: number;
  /** `iss` of the access tokens this deployment signs (TRADELANE_PUBLIC_URL, else `tradelane`). */
  issuer: string;
  /** Lifetime of a client-credentials access token (TRADELANE_ACCESS_TOKEN_SECONDS, default 900). */
  accessTokenTtlSeconds: number;
  /** Days a signing key signs before a new one takes over (TRADELANE_JWT_KEY_DAYS, default 30). */
  signingKeyDays: number;
}

export const ACCESS_CONFIG = Symbol('ACCESS_CONFIG');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.replace(/^\[|\]$/g, ''));
}

export function accessConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  o: { embedded?: boolean } = {},
): AccessConfig {
  const raw = env.TRADELANE_AUTH;
  if (raw !== undefined && raw !== 'required' && raw !== 'local')
    throw new Error(`TRADELANE_AUTH must be "required" or "local", not "${raw}"`);
  const localByDefault = !!o.embedded && isLoopbackHost(env.HOST ?? '127.0.0.1');
  const number = (name: string, v: string | undefined, fallback: number) => {
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not "${v}"`);
    return n;
  };
  return {
    mode: (raw as AuthMode | undefined) ?? (localByDefault ? 'local' : 'required'),
    sessionTtlMs: number('TRADELANE_SESSION_HOURS', env.TRADELANE_SESSION_HOURS, 12) * 3_600_000,
    lockoutAfter: number('TRADELANE_LOCKOUT_AFTER', env.TRADELANE_LOCKOUT_AFTER, 5),
    lockoutBaseMs: 60_000,
    lockoutMaxMs: 3_600_000,
    issuer: env.TRADELANE_PUBLIC_URL?.trim() || 'tradelane',
    accessTokenTtlSeconds: number('TRADELANE_ACCESS_TOKEN_SECONDS', env.TRADELANE_ACCESS_TOKEN_SECONDS, 900),
    signingKeyDays: number('TRADELANE_JWT_KEY_DAYS', env.TRADELANE_JWT_KEY_DAYS, 30),
  };
}
