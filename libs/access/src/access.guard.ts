import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  AUDIENCE_KEY,
  AUTHENTICATED,
  Permission,
  PERMISSION_KEY,
  PERMISSION_NAMES,
  PUBLIC,
  RequestAuthorizer,
} from '@tradelane/http';
import { AccessTokens, looksLikeJwt } from './access-tokens.service';
import { ACCESS_CONFIG, AccessConfig, isLoopbackHost } from './access.config';
import { AccessService } from './access.service';
import { cookiesOf, CSRF_COOKIE, CSRF_HEADER, csrfOk, SESSION_COOKIE } from './browser-session';
import { Principal, PRINCIPAL } from './principal';

interface HttpRequest {
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
  query?: Record<string, unknown>;
  [PRINCIPAL]?: Principal;
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The local administrator of the embedded trial (`TRADELANE_AUTH=local`, requests from this machine only). */
export const LOCAL_ADMIN: Principal = {
  kind: 'local',
  id: 'local',
  tenant: 'default',
  name: 'local administrator',
  roles: ['admin'],
  permissions: new Set(PERMISSION_NAMES),
  partner: null,
  tokenId: null,
};

/** The bearer token of a request: `Authorization: Bearer <token>` or `X-API-Key: <token>`. */
export function bearerOf(req: HttpRequest): string | null {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1] : '';
  }
  const key = req.headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : null;
}

/** A request made on this machine to a loopback name, not by a page of another site (CSRF, DNS rebinding). */
export function fromThisMachine(req: HttpRequest): boolean {
  const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
  const origin = req.headers.origin;
  let originOk = origin === undefined;
  if (typeof origin === 'string')
    try {
      originOk = isLoopbackHost(new URL(origin).hostname);
    } catch {
      originOk = false;
    }
  return LOOPBACK_ADDRESSES.has(req.socket?.remoteAddress ?? '') && isLoopbackHost(host) && originOk;
}

/**
 * Every HTTP request passes here (a global guard): the route's declared permission (checked at
 * boot: RoutePermissions), the principal from the bearer token (401 without one), the permission
 * (403 without it), and the tenant asked for (`?tenant=` must be the principal's own). Bus handlers
 * are not HTTP and pass.
 */
@Injectable()
export class AccessGuard implements CanActivate, RequestAuthorizer {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessService,
    private readonly tokens: AccessTokens,
    @Inject(ACCESS_CONFIG) private readonly config: AccessConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const need = this.reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (need === PUBLIC) return true;
    if (!need) throw new ForbiddenException('this route declares no permission');
    const req = ctx.switchToHttp().getRequest<HttpRequest>();
    const principal = await this.principalOf(req).catch((e: unknown) => {
      if (e instanceof UnauthorizedException)
        ctx
          .switchToHttp()
          .getResponse<{ setHeader(name: string, value: string): void }>()
          .setHeader('WWW-Authenticate', 'Bearer realm="tradelane"');
      throw e;
    });
    req[PRINCIPAL] = principal;
    // Partner credentials reach the partner routes only, staff credentials every other route.
    const audience = this.reflector.getAllAndOverride<string | undefined>(AUDIENCE_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (audience === 'partner' && principal.partner === null)
      throw new ForbiddenException(
        'the partner API answers partner credentials only (a partner user, key or client)',
      );
    if (audience === undefined && principal.partner !== null)
      throw new ForbiddenException(
        `${principal.name} is a partner's credential: it reaches /partner/v1 only`,
      );
    if (need !== AUTHENTICATED && !principal.permissions.has(need as Permission))
      throw new ForbiddenException(`${principal.name} may not do this: it needs ${need}`);
    // The local administrator is the operator of this machine's trial: every tenant is theirs.
    const tenant = req.query?.tenant;
    if (typeof tenant === 'string' && tenant !== principal.tenant && principal.kind !== 'local')
      throw new ForbiddenException(`${principal.name} belongs to tenant ${principal.tenant}, not ${tenant}`);
    return true;
  }

  async require(request: unknown, permission: Permission, tenant?: string): Promise<void> {
    const req = request as HttpRequest;
    const principal = await this.principalOf(req);
    req[PRINCIPAL] = principal;
    if (tenant !== undefined && principal.kind !== 'local' && principal.tenant !== tenant)
      throw new NotFoundException('not found');
    if (principal.partner !== null)
      throw new ForbiddenException(
        `${principal.name} is a partner's credential: it reaches /partner/v1 only`,
      );
    if (!principal.permissions.has(permission))
      throw new ForbiddenException(`${principal.name} may not do this: it needs ${permission}`);
  }

  private async principalOf(req: HttpRequest): Promise<Principal> {
    const token = bearerOf(req);
    const session = token === null ? cookiesOf(req)[SESSION_COOKIE] : undefined;
    if (session) {
      // A browser session: a change must also carry the CSRF token (double submit), so a page of
      // another site that makes the browser send the cookie cannot change anything.
      const principal = await this.access.authenticate(session);
      if (!principal || principal.kind !== 'user')
        throw new UnauthorizedException('the session is unknown, expired or ended: log in again');
      if (!SAFE_METHODS.has(req.method ?? 'GET') && !csrfOk(req))
        throw new ForbiddenException(
          `a change made with a session cookie needs the ${CSRF_HEADER} header (the ${CSRF_COOKIE} cookie)`,
        );
      return principal;
    }
    if (token === null) {
      if (this.config.mode === 'local' && fromThisMachine(req)) return LOCAL_ADMIN;
      throw new UnauthorizedException(
        'log in first: send Authorization: Bearer <token> (POST /auth/login, or an API key)',
      );
    }
    const principal = looksLikeJwt(token)
      ? await this.tokens.authenticate(token)
      : await this.access.authenticate(token);
    if (!principal) throw new UnauthorizedException('the token is unknown, expired or revoked');
    return principal;
  }
}
