import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { PERMISSION_KEY, PUBLIC } from '@tradelane/http';
import { Principal, PRINCIPAL } from './principal';

/** The metadata key of @Throttle's limit (THROTTLER_LIMIT of @nestjs/throttler, not exported from its index). */
const THROTTLE_LIMIT = 'THROTTLER:LIMIT';
/** Where a response keeps the X-RateLimit values set so far (to write the IETF fields from them). */
const RATE = Symbol('rate-limit');

/**
 * Rate limits per principal (`TRADELANE_RATE_LIMIT_PER_MINUTE`, 429 with Retry-After and the
 * X-RateLimit and RateLimit headers), after the access guard has said who it is: a token's principal is counted
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

  /**
   * Also the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy:
   * "default";q=<limit>;w=60` and `RateLimit: "default";r=<remaining>;t=<seconds to reset>`, next
   * to the X-RateLimit-* ones clients already read. The guard sets limit, remaining, reset in order.
   */
  protected override setResponseHeader(
    res: Record<string | symbol, unknown>,
    name: string,
    value: number | string,
  ) {
    super.setResponseHeader(res, name, value);
    const m = /^X-RateLimit-(Limit|Remaining|Reset)$/.exec(name);
    if (!m) return;
    const seen = ((res[RATE] as Record<string, string> | undefined) ??= {});
    res[RATE] = seen;
    seen[m[1]] = String(value);
    if (m[1] !== 'Reset') return;
    super.setResponseHeader(res, 'RateLimit-Policy', `"default";q=${seen.Limit};w=60`);
    super.setResponseHeader(res, 'RateLimit', `"default";r=${seen.Remaining};t=${value}`);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const p = req[PRINCIPAL] as Principal | undefined;
    return p ? `${p.kind}:${p.id}` : `ip:${String(req.ip ?? 'unknown')}`;
  }
}
