import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PERMISSION_KEY, PUBLIC, withAuditNotes } from '@tradelane/http';
import { mergeMap, Observable } from 'rxjs';
import { AuditService } from './audit.service';
import { Principal, PRINCIPAL } from './principal';

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Req {
  method: string;
  route?: { path?: string };
  params?: Record<string, string>;
  body?: unknown;
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
  [PRINCIPAL]?: Principal;
}

/** `MergeController.unmerge` → `merge.unmerge`, `AgreementController.setTier` → `agreement.set-tier`. */
const kebab = (s: string) => s.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
const actionOf = (controller: string, handler: string) =>
  `${kebab(controller.replace(/Controller$/, ''))}.${kebab(handler)}`;

/**
 * One audit row per successful change made over HTTP (every POST, PUT, PATCH and DELETE of a route
 * that needs a principal): who, tenant, action, target, when, from where, and before / after as the
 * code that made the change noted them (noteChange), else the request and the answer, secrets
 * masked. Public routes audit themselves (log-in) or are partner pushes (in the message ledger).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly log = new Logger('Audit');

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Req>();
    const need = this.reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    if (!MUTATIONS.has(req.method) || need === PUBLIC) return next.handle();
    return new Observable((subscriber) =>
      withAuditNotes((notes) =>
        next
          .handle()
          .pipe(
            mergeMap(async (answer) => {
              const p = req[PRINCIPAL];
              if (!p) return answer;
              const note = notes.length === 1 ? notes[0] : undefined;
              const params = req.params ?? {};
              await this.audit
                .record({
                  tenant: p.tenant,
                  actorKind: p.kind,
                  actorId: p.id,
                  actorName: p.name,
                  action: actionOf(ctx.getClass().name, ctx.getHandler().name),
                  targetType: note?.targetType ?? null,
                  // What was changed: as noted, else the route's id, else what a create answered.
                  targetId:
                    note?.targetId ??
                    params.id ??
                    params.instance ??
                    (typeof (answer as { id?: unknown } | null)?.id === 'string'
                      ? (answer as { id: string }).id
                      : null),
                  route: `${req.method} ${req.route?.path ?? ''}`,
                  ip: req.ip ?? null,
                  userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : null,
                  before: note
                    ? (note.before ?? null)
                    : notes.length
                      ? { changes: notes.map((n) => n.before) }
                      : null,
                  after: note
                    ? (note.after ?? null)
                    : notes.length
                      ? { changes: notes.map((n) => n.after) }
                      : { request: req.body ?? null, answer: answer ?? null },
                })
                .catch((e: Error) => this.log.error(`audit row not written: ${e.message}`));
              return answer;
            }),
          )
          .subscribe(subscriber),
      ),
    );
  }
}
