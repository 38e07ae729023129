import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Permission } from '@tradelane/http';

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
  /** The token used (sessions: to log out). */
  tokenId: string | null;
}

export const PRINCIPAL = 'tradelanePrincipal';

/** The request's principal (set by the access guard). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal =>
    (ctx.switchToHttp().getRequest() as Record<string, Principal>)[PRINCIPAL],
);
