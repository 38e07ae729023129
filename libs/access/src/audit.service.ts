import { Injectable, Logger } from '@nestjs/common';
import { Database, runScoped } from '@tradelane/persistence';
import { AuditEntry } from './audit-entry.entity';

/** Field names whose values never reach the audit log. */
const SECRET = /pass(word)?|secret|token|api[-_]?key|credential|private/i;
const MAX_JSON = 16_000;

/** A copy with secret fields masked and long values cut, fit for the audit log. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' && value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  if (depth > 6) return '…';
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET.test(k) && v !== null && v !== undefined && v !== '' ? '********' : redact(v, depth + 1),
    ]),
  );
}

function bounded(v: unknown): Record<string, unknown> | null {
  if (v === undefined || v === null) return null;
  const r = redact(v);
  const obj = (typeof r === 'object' && !Array.isArray(r) ? r : { value: r }) as Record<string, unknown>;
  const json = JSON.stringify(obj);
  return json.length > MAX_JSON ? { truncated: json.slice(0, MAX_JSON) } : obj;
}

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>;

export interface AuditQuery {
  tenant: string;
  actor?: string;
  action?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** Rows older than this id (the page's `nextCursor`). */
  before?: string;
  limit: number;
}

/** Writes and reads the append-only audit log. */
@Injectable()
export class AuditService {
  private readonly log = new Logger('Audit');

  constructor(private readonly db: Database) {}

  async record(entry: AuditRecord): Promise<void> {
    // Written by the system for the tenant: a partner's write is audited too, although the partner
    // itself may not see (or write) the audit log.
    await runScoped(entry.tenant, () =>
      this.db.read((m) =>
        m.getRepository(AuditEntry).insert({
          ...entry,
          before: bounded(entry.before) as never,
          after: bounded(entry.after) as never,
        }),
      ),
    );
    this.log.log(
      `${entry.actorName} (${entry.actorKind}) ${entry.action} ${entry.targetType ?? ''} ${entry.targetId ?? ''}`.trim(),
    );
  }

  async list(q: AuditQuery) {
    const rows = await this.db.read((m) => {
      const b = m
        .getRepository(AuditEntry)
        .createQueryBuilder('a')
        .where('a.tenant = :tenant', { tenant: q.tenant })
        .orderBy('a.id', 'DESC')
        .take(q.limit + 1);
      if (q.actor) b.andWhere('(a.actor_name = :actor OR a.actor_id = :actor)', { actor: q.actor });
      if (q.action) b.andWhere('a.action LIKE :action', { action: `${q.action.replace(/[%_]/g, '')}%` });
      if (q.targetId) b.andWhere('a.target_id = :target', { target: q.targetId });
      if (q.from) b.andWhere('a.at >= :from', { from: q.from });
      if (q.to) b.andWhere('a.at < :to', { to: q.to });
      if (q.before) b.andWhere('a.id < :before', { before: q.before });
      return b.getMany();
    });
    const items = rows.slice(0, q.limit);
    return { items, nextCursor: rows.length > q.limit ? items[items.length - 1].id : null };
  }
}
