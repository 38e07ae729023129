import { Envelope } from '@tradelane/contracts';

/** Event-time order: occurredAt, then message id (UUIDv7, time-ordered) to break ties. */
export function isNewer(a: Envelope, b: Envelope): boolean {
  const ta = Date.parse(a.occurredAt);
  const tb = Date.parse(b.occurredAt);
  return ta !== tb ? ta > tb : a.id > b.id;
}

/**
 * Keeps, per key, only the newest event of a batch: a row can be upserted once per statement, and
 * older versions would lose against the newest anyway.
 */
export function latestByKey<E extends Envelope>(events: E[], keyOf: (e: E) => string): E[] {
  const latest = new Map<string, E>();
  for (const e of events) {
    const k = keyOf(e);
    const current = latest.get(k);
    if (!current || isNewer(e, current)) latest.set(k, e);
  }
  return [...latest.values()];
}

/** Map key of a source record: (tenant, source, external id). */
export function sourceKey(tenant: string, source: string, externalId: string): string {
  return `${tenant}\u0000${source}\u0000${externalId}`;
}

/** Map key of the record an event carries (`payload.externalId`). */
export const eventSourceKey = (e: Envelope<{ externalId: string }>): string =>
  sourceKey(e.tenant, e.source, e.payload.externalId);
