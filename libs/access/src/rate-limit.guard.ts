import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { PERMISSION_KEY, PUBLIC } from '@tradelane/http';
import { AccessController } from './access.controller';
import { Principal, PRINCIPAL } from './principal';

/**
 * Rate limits per principal (`TRADELANE_RATE_LIMIT_PER_MINUTE`, 429 with Retry-After and the
 * X-RateLimit headers), after the access guard has said who it is: a token's principal is counted
 * wherever it comes from; the log-in by its address. Other public routes (health, metrics, signed
 * partner pushes) and the local trial administrator are not limited.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    // Public routes are probes, scrapes and partner pushes (signed): not limited, but the log-in is.
    const open = this.reflector.get<string | undefined>(PERMISSION_KEY, ctx.getHandler()) === PUBLIC;
    if (open) return ctx.getHandler() !== AccessController.prototype.logIn;
    const p = ctx.switchToHttp().getRequest<Record<string, Principal | undefined>>()[PRINCIPAL];
    return p?.kind === 'local';
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const p = req[PRINCIPAL] as Principal | undefined;
    return p ? `${p.kind}:${p.id}` : `ip:${String(req.ip ?? 'unknown')}`;
  }
}
