import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { OutboxRelay } from '@tradelane/messaging';
import { Database, OutboxRepository } from '@tradelane/persistence';
import { DeliveryState } from './connector-delivery.entity';
import { ConnectorInstanceService } from './connector-instance.service';
import { CRM_RECORDS, CrmRecordsPort } from './crm-records.port';
import { RecordChecks } from './record-checks.service';

export interface DeliveryRow {
  messageId: string;
  seq: string;
  type: string;
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  customerId: string | null;
  resolution: string | null;
  createdAt: Date;
  sentAt: Date | null;
  resolvedAt: Date | null;
}

const COLUMNS = `message_id AS "messageId", seq::text AS seq, type, state, attempts, last_error AS "lastError",
  coalesce(envelope->'payload'->>'customerId', envelope->'payload'->>'survivorId') AS "customerId",
  resolution, created_at AS "createdAt", sent_at AS "sentAt", resolved_at AS "resolvedAt"`;

/**
 * What an operator does with CRM events owed to an instance: list them by state, put failed ones
 * back in the queue after a fix, and settle a conflict (the system's record changed since the CRM
 * read it) by taking the CRM's value (sent again, overwriting) or the system's (its record is
 * pulled again, so the CRM takes it; the delivery is closed as resolved).
 */
@Injectable()
export class ConnectorDeliveryService {
  private readonly log = new Logger('ConnectorDeliveries');

  constructor(
    private readonly db: Database,
    private readonly instances: ConnectorInstanceService,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    @Inject(CRM_RECORDS) private readonly crm: CrmRecordsPort,
    private readonly checks: RecordChecks,
  ) {}

  async list(instanceId: string, q: { state?: DeliveryState; limit: number; offset: number }) {
    await this.instances.get(instanceId);
    const [items, [{ n }]] = await Promise.all([
      this.db.sql<DeliveryRow>(
        `SELECT ${COLUMNS} FROM connector_delivery WHERE instance_id = $1 AND ($2::text IS NULL OR state = $2)
          ORDER BY seq DESC LIMIT $3 OFFSET $4`,
        [instanceId, q.state ?? null, q.limit, q.offset],
      ),
      this.db.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM connector_delivery WHERE instance_id = $1 AND ($2::text IS NULL OR state = $2)`,
        [instanceId, q.state ?? null],
      ),
    ]);
    return { items, total: n };
  }

  private async one(instanceId: string, messageId: string): Promise<DeliveryRow> {
    await this.instances.get(instanceId);
    const [row] = await this.db.sql<DeliveryRow>(
      `SELECT ${COLUMNS} FROM connector_delivery WHERE instance_id = $1 AND message_id = $2`,
      [instanceId, messageId],
    );
    if (!row) throw new AppError('not-found', `no delivery of ${messageId} to ${instanceId}`);
    return row;
  }

  /** Failed deliveries (one, or all of the instance) back to pending: the sender tries them again in arrival order. */
  async resend(instanceId: string, messageId?: string): Promise<{ requeued: number }> {
    if (messageId) {
      const row = await this.one(instanceId, messageId);
      if (row.state !== 'failed')
        throw new AppError(
          'conflict',
          `delivery ${messageId} to ${instanceId} is ${row.state}: only failed deliveries are re-sent` +
            (row.state === 'conflict' ? ' (resolve a conflict with take=crm or take=system)' : ''),
        );
    } else await this.instances.get(instanceId);
    const rows = await this.db.sql<{ message_id: string }>(
      `WITH r AS (UPDATE connector_delivery SET state = 'pending'
                   WHERE instance_id = $1 AND state = 'failed' AND ($2::uuid IS NULL OR message_id = $2)
                  RETURNING message_id) SELECT * FROM r`,
      [instanceId, messageId ?? null],
    );
    this.log.log(`${instanceId}: ${rows.length} failed deliver${rows.length === 1 ? 'y' : 'ies'} re-queued`);
    return { requeued: rows.length };
  }

  async resolve(
    instanceId: string,
    messageId: string,
    r: { take: 'crm' | 'system'; actor?: string; note?: string },
  ): Promise<DeliveryRow> {
    const row = await this.one(instanceId, messageId);
    if (row.state !== 'conflict')
      throw new AppError(
        'conflict',
        `delivery ${messageId} to ${instanceId} is ${row.state}, not a conflict`,
      );
    const resolution = `${r.take === 'crm' ? "took the CRM's value" : "took the system's value"}${
      r.actor ? ` (${r.actor})` : ''
    }${r.note ? `: ${r.note}` : ''}`;
    if (r.take === 'crm') {
      await this.db.sql(
        `UPDATE connector_delivery SET state = 'pending', force = true, resolution = $3, resolved_at = now()
          WHERE instance_id = $1 AND message_id = $2 AND state = 'conflict'`,
        [instanceId, messageId, resolution],
      );
    } else {
      const repulled = await this.repullCustomer(instanceId, row.customerId);
      await this.db.sql(
        `UPDATE connector_delivery SET state = 'resolved', resolution = $3, resolved_at = now()
          WHERE instance_id = $1 AND message_id = $2 AND state = 'conflict'`,
        [instanceId, messageId, `${resolution} [${repulled} record(s) pulled again]`],
      );
    }
    this.log.log(`${instanceId}: conflict ${messageId} resolved: ${resolution}`);
    return this.one(instanceId, messageId);
  }

  /** The instance's records of the customer, fetched from the system again and sent through the pipeline. */
  private async repullCustomer(instanceId: string, customerId: string | null): Promise<number> {
    if (!customerId) throw new AppError('invalid', 'the delivery names no customer to pull again');
    const { instance, def, runtime } = await this.instances.runtime(instanceId);
    try {
      const stream = (def.capabilities.pull ?? []).find((s) => s.emits.includes('customer.upserted'));
      if (!stream || !runtime.fetch)
        throw new AppError(
          'invalid',
          `${def.id} cannot fetch customers by key: take=crm, or fix it in the CRM`,
        );
      const keys = await this.crm.customerRecordIds(instance.tenant, instanceId, customerId);
      if (!keys.length) return 0;
      const records = await runtime.fetch(stream.name, keys);
      return await this.checks.publishFetched(
        { id: instanceId, tenant: instance.tenant, kind: def.kind },
        records,
        `re-pull ${stream.name}`,
      );
    } finally {
      await runtime.close?.();
    }
  }
}
