import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { PERMISSION_KEY, PUBLIC } from '@tradelane/http';
import { Principal, PRINCIPAL } from './principal';

/** The metadata key of @Throttle's limit (THROTTLER_LIMIT of @nestjs/throttler, not exported from its index). */
const THROTTLE_LIMIT = 'THROTTLER:LIMIT';

/**
 * Rate limits per principal (`TRADELANE_RATE_LIMIT_PER_MINUTE`, 429 with Retry-After and the
 * X-RateLimit headers), after the access guard has said who it is: a token's principal is counted
 * wherever it comes from; the log-in and the token endpoint by address. Other public routes (health,
 * metrics, signed partner pushes) and the local trial administrator are not limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    // Public routes are probes, scrapes and partner pushes (signed): not limited, unless they say
    // how much (@Throttle: the log-in, the token endpoint).
    const open = this.reflector.get<string | undefined>(PERMISSION_KEY, ctx.getHandler()) === PUBLIC;
    if (open) return Reflect.getMetadata(`${THROTTLE_LIMIT}default`, ctx.getHandler()) === undefined;
    const p = ctx.switchToHttp().getRequest<Record<string, Principal | undefined>>()[PRINCIPAL];
    return p?.kind === 'local';
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const p = req[PRINCIPAL] as Principal | undefined;
    return p ? `${p.kind}:${p.id}` : `ip:${String(req.ip ?? 'unknown')}`;
  }
}
