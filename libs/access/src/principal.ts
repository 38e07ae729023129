import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppError, PARTNER_PERMISSIONS, Permission, PERMISSION_NAMES } from '@tradelane/http';

/** Who makes a request, and what it may do. */
export interface Principal {
  kind: 'user' | 'api-key' | 'client' | 'local';
  /** User id, API key id, OAuth client id, or `local` for the local administrator of the embedded trial. */
  id: string;
  /** Its tenant (the local administrator acts for every tenant: `default` unless `?tenant=` names another). */
  tenant: string;
  /** E-mail of a user, name of an API key. */
  name: string;
  /** The roles of a user (none for an API key). */
  roles: string[];
  permissions: ReadonlySet<Permission>;
  /**
   * The partner organisation it belongs to (a partner's user, API key or OAuth client): it reaches
   * only the partner routes and sees only that partner's records. Null for staff.
   */
  partner: string | null;
  /** The token used (sessions: to log out). */
  tokenId: string | null;
}

export const PRINCIPAL = 'tradelanePrincipal';

/** The request's principal (set by the access guard). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal =>
    (ctx.switchToHttp().getRequest() as Record<string, Principal>)[PRINCIPAL],
);

/**
 * What a new credential (API key, OAuth client) may be given: known permissions that `grantor`
 * holds itself (for a partner's credential, only partner permissions), for 1 to 366 days
 * (`defaultDays` when none is asked). Answers its expiry.
 */
export function checkGrant(
  grantor: Principal,
  scopes: string[],
  days: number | undefined,
  defaultDays: number,
  forPartner = false,
): Date {
  const unknown = scopes.filter((s) => !(PERMISSION_NAMES as string[]).includes(s));
  if (unknown.length)
    throw new AppError(
      'invalid',
      `scopes: unknown ${unknown.join(', ')} (known: ${PERMISSION_NAMES.join(', ')})`,
    );
  const notPartner = forPartner
    ? scopes.filter((s) => !(PARTNER_PERMISSIONS as readonly string[]).includes(s))
    : [];
  if (notPartner.length)
    throw new AppError(
      'invalid',
      `scopes: a partner's credential may have only ${PARTNER_PERMISSIONS.join(', ')} (not ${notPartner.join(', ')})`,
    );
  const beyond = scopes.filter((s) => !grantor.permissions.has(s as Permission));
  if (beyond.length)
    throw new AppError('forbidden', `scopes: you cannot grant what you do not hold (${beyond.join(', ')})`);
  const d = days ?? defaultDays;
  if (!(d > 0 && d <= 366)) throw new AppError('invalid', 'expiresInDays must be between 1 and 366');
  return new Date(Date.now() + d * 86_400_000);
}
