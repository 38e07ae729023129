import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { runScoped } from '@tradelane/http';
import { Observable } from 'rxjs';
import { Principal, PRINCIPAL } from './principal';

/**
 * Runs every HTTP handler scoped to its principal's tenant (libs/http request-scope): lists default
 * to it, and records of another tenant are not found (404). The local trial administrator and
 * public routes are unscoped. A partner's credential is scoped to its partner organisation too:
 * every statement of its request runs where the partner scope policies leave only its records.
 */
@Injectable()
export class TenantScopeInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const p = ctx.switchToHttp().getRequest<Record<string, Principal | undefined>>()[PRINCIPAL];
    const tenant = p && p.kind !== 'local' ? p.tenant : null;
    const partner = tenant === null ? null : (p?.partner ?? null);
    return new Observable((subscriber) =>
      runScoped(tenant, () => next.handle().subscribe(subscriber), partner),
    );
  }
}
