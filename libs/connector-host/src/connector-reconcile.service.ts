import { Inject, Injectable } from '@nestjs/common';
import { ConnectorError } from '@tradelane/connector-sdk';
import { AppError } from '@tradelane/http';
import { OutboxRelay } from '@tradelane/messaging';
import { Database, OutboxRepository } from '@tradelane/persistence';
import { ConnectorInstanceService } from './connector-instance.service';
import { CRM_RECORDS, CrmRecordsPort } from './crm-records.port';
import { RecordChecks } from './record-checks.service';

export interface StreamReconciliation {
  stream: string;
  atSource: number;
  held: number;
  /** Keys the source has and the CRM does not. */
  missing: string[];
  /** Days (UTC, by event time) whose counts differ. */
  days: { day: string; atSource: number; held: number }[];
}

/** Per day (UTC) for a push / drop-folder source, from its own ledger: what came in and what became of it. */
export interface ReceivedDay {
  day: string;
  /** Payloads taken (files dropped, pushes accepted). */
  payloads: number;
  /** Of those, translated by the connector. */
  translated: number;
  /** Of those, dead-lettered (kept with the reason, redrivable). */
  deadLettered: number;
  /** Neither yet: still on their way, or lost (look at the ledger). */
  unaccounted: number;
  /** Canonical records the translated payloads produced and the CRM processed. */
  records: number;
}

export interface Reconciliation {
  instance: string;
  since: string | null;
  streams: StreamReconciliation[];
  /** Push and drop-folder channels (no keys to compare): counts per day from the ledger. */
  received: ReceivedDay[];
  /** Records re-pulled (sent again through tradelane.inbound), when asked. */
  repulled: number;
}

/**
 * Compares the keys a source holds (per pull stream, since a date) with what the CRM holds, lists
 * the missing keys and the days whose counts differ, and can re-pull exactly the missing records.
 */
@Injectable()
export class ConnectorReconcileService {
  constructor(
    private readonly db: Database,
    private readonly instances: ConnectorInstanceService,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    @Inject(CRM_RECORDS) private readonly crm: CrmRecordsPort,
    private readonly checks: RecordChecks,
  ) {}

  async reconcile(
    instanceId: string,
    options: { since?: string; repull?: boolean } = {},
  ): Promise<Reconciliation> {
    const since = options.since ? new Date(options.since).toISOString() : null;
    const { instance, def, runtime } = await this.instances.runtime(instanceId);
    const accepts = (def.capabilities.accept ?? []).length > 0;
    if (!runtime.keys && !accepts)
      throw new AppError('invalid', `${def.id} cannot list its keys: reconciliation is not supported`);
    const result: Reconciliation = {
      instance: instanceId,
      since,
      streams: [],
      received: accepts ? await this.receivedPerDay(instanceId, since) : [],
      repulled: 0,
    };
    try {
      for (const stream of runtime.keys ? (def.capabilities.pull ?? []) : []) {
        const keys = await (runtime.keys as NonNullable<typeof runtime.keys>)(stream.name, since);
        const held = await this.crm.heldKeys(
          stream.emits[0],
          instance.tenant,
          instanceId,
          keys.map((k) => k.key),
        );
        if (!held) continue; // the CRM keeps no records of this type by key
        const missing = keys.filter((k) => !held.has(k.key));
        const perDay = new Map<string, { day: string; atSource: number; held: number }>();
        for (const k of keys) {
          const day = k.occurredAt.slice(0, 10);
          const d = perDay.get(day) ?? { day, atSource: 0, held: 0 };
          d.atSource++;
          if (held.has(k.key)) d.held++;
          perDay.set(day, d);
        }
        result.streams.push({
          stream: stream.name,
          atSource: keys.length,
          held: keys.length - missing.length,
          missing: missing.map((k) => k.key),
          days: [...perDay.values()]
            .filter((d) => d.atSource !== d.held)
            .sort((a, b) => a.day.localeCompare(b.day)),
        });
        if (options.repull && missing.length) {
          if (!runtime.fetch) throw new AppError('invalid', `${def.id} cannot fetch records by key`);
          const records = await runtime.fetch(
            stream.name,
            missing.map((k) => k.key),
          );
          result.repulled += await this.checks.publishFetched(
            { id: instanceId, tenant: instance.tenant, kind: def.kind },
            records,
            `reconcile ${stream.name}`,
          );
        }
      }
    } catch (e) {
      if (e instanceof AppError) throw e;
      const err = ConnectorError.from(e, 'reconcile');
      throw new AppError(
        err.needsAttention ? 'invalid' : 'conflict',
        `${instanceId}: ${err.kind}: ${err.message}`,
      );
    } finally {
      await runtime.close?.();
    }
    if (result.repulled) this.relay.wake();
    return result;
  }

  /** Files and pushes of the instance per day, from the ledger: taken, translated, dead-lettered, and the records that came of them. */
  private receivedPerDay(instanceId: string, since: string | null): Promise<ReceivedDay[]> {
    return this.db.sql<ReceivedDay>(
      `WITH p AS (
         SELECT message_id, min(at) AS at,
                bool_or(status = 'processed') AS translated,
                bool_or(status = 'dead-lettered') AND NOT bool_or(status = 'processed') AS dead
           FROM message_ledger
          WHERE source = $1 AND type = 'connector.webhook.received.v1' AND direction = 'in'
          GROUP BY message_id),
       r AS (
         SELECT p.message_id, count(DISTINCT l.message_id)::int AS n
           FROM p JOIN message_ledger l ON l.causation_id = p.message_id AND l.source = $1
                 AND l.type <> 'connector.webhook.received.v1' AND l.consumer = 'core' AND l.status = 'processed'
          GROUP BY p.message_id)
       SELECT to_char(p.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS payloads,
              count(*) FILTER (WHERE p.translated)::int AS translated,
              count(*) FILTER (WHERE p.dead)::int AS "deadLettered",
              count(*) FILTER (WHERE NOT p.translated AND NOT p.dead)::int AS unaccounted,
              coalesce(sum(r.n), 0)::int AS records
         FROM p LEFT JOIN r ON r.message_id = p.message_id
        WHERE $2::timestamptz IS NULL OR p.at >= $2
        GROUP BY 1 ORDER BY 1`,
      [instanceId, since],
    );
  }
}
