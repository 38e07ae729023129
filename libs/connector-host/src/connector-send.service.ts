import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConnectorError } from '@tradelane/connector-sdk';
import { Envelope } from '@tradelane/contracts';
import { UnitOfWork } from '@tradelane/messaging';
import { Database } from '@tradelane/persistence';
import { ConnectorCircuits } from './connector-circuits';
import { ConnectorInstanceRepository } from './connector-instance.repository';
import { ConnectorInstanceService } from './connector-instance.service';
import { ConnectorRegistry } from './connector.registry';
import { CRM_RECORDS, CrmRecordsPort } from './crm-records.port';
import { PartnerDocumentService } from './edi/partner-documents.service';

const BATCH = 50;

/**
 * Outbound: CRM events owed to connector instances that can `send` them. Consuming an event writes
 * one delivery per instance (never the instance the change came from: no echo); the sender sends
 * pending deliveries of running instances in arrival order, stopping an instance's queue at a
 * retryable failure (tried again next tick) and marking a permanent one failed with its reason.
 * A connector that writes partner documents (capabilities.documents) is owed their events only
 * where a trading partner routes them to the instance; each send carries the documents owed.
 */
@Injectable()
export class ConnectorSendService {
  private readonly log = new Logger('ConnectorSend');

  constructor(
    private readonly db: Database,
    private readonly registry: ConnectorRegistry,
    private readonly repo: ConnectorInstanceRepository,
    private readonly instances: ConnectorInstanceService,
    private readonly circuits: ConnectorCircuits,
    @Inject(CRM_RECORDS) private readonly crm: CrmRecordsPort,
    private readonly documents: PartnerDocumentService,
  ) {}

  async enqueue(uow: UnitOfWork, events: Envelope[]): Promise<void> {
    const targets = (await this.repo.listIn(uow.tx)).filter(
      (i) =>
        this.registry.has(i.connectorId) &&
        (this.registry.get(i.connectorId).capabilities.send?.length ?? 0) > 0,
    );
    if (!targets.length) return;
    const routes = events.some((e) => PartnerDocumentService.isDocumentEvent(e.type))
      ? await this.documents.routes(uow.tx, [...new Set(events.map((e) => e.tenant))])
      : new Set<string>();
    const owedTo = (i: { id: string; connectorId: string }, type: string) => {
      const capabilities = this.registry.get(i.connectorId).capabilities;
      if (!(capabilities.send ?? []).includes(type)) return false;
      return PartnerDocumentService.routedThroughPartners(capabilities, type)
        ? routes.has(`${i.id} ${type}`)
        : true;
    };
    const rows = events.flatMap((e) => {
      const { originSource: origin, toSources } = e.payload as {
        originSource?: string;
        toSources?: string[];
      };
      // An event meant for some instances only (a person's erasure: those whose records held them).
      const meantFor = toSources ? new Set(toSources) : null;
      return targets
        .filter((i) => i.id !== origin && i.tenant === e.tenant && (!meantFor || meantFor.has(i.id)))
        .filter((i) => owedTo(i, e.type))
        .map((i) => ({ instance_id: i.id, message_id: e.id, type: e.type, envelope: e }));
    });
    if (!rows.length) return;
    await uow.tx.query(
      `INSERT INTO connector_delivery (instance_id, message_id, type, envelope)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(instance_id text, message_id uuid, type text, envelope jsonb)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  /** Sends what running instances are owed; returns how many were sent. */
  async sendPending(): Promise<number> {
    let sent = 0;
    for (const instance of await this.repo.runningInstances()) {
      if (
        !this.registry.has(instance.connectorId) ||
        !this.registry.get(instance.connectorId).capabilities.send?.length
      )
        continue;
      sent += await this.sendFor(instance.id);
    }
    return sent;
  }

  private async sendFor(instanceId: string): Promise<number> {
    const { instance, def, runtime } = await this.instances.runtime(instanceId);
    try {
      // Documents are read before the send's transaction: each record under its partner's scope,
      // which a read inside another transaction would not be.
      const ahead = def.capabilities.documents?.length
        ? await this.db.sql<{ message_id: string; envelope: Envelope }>(
            `SELECT message_id, envelope FROM connector_delivery WHERE instance_id = $1 AND state = 'pending'
              ORDER BY seq LIMIT ${BATCH}`,
            [instanceId],
          )
        : [];
      const throughPartners = (type: string) =>
        PartnerDocumentService.routedThroughPartners(def.capabilities, type);
      const owed = await this.documents.owed(
        instance,
        def.capabilities.documents ?? [],
        ahead.filter((d) => throughPartners(d.envelope.type)).map((d) => d.envelope),
      );
      return await this.db.transaction(async (tx) => {
        // One sender per instance at a time (several workers): its events go out in order, once.
        const [{ mine }]: { mine: boolean }[] = await tx.query(
          `SELECT pg_try_advisory_xact_lock(hashtext('connector-send'), hashtext($1)) AS mine`,
          [instanceId],
        );
        if (!mine) return 0;
        const due: { message_id: string; envelope: Envelope; force: boolean }[] = await tx.query(
          `SELECT message_id, envelope, force FROM connector_delivery WHERE instance_id = $1 AND state = 'pending'
            ORDER BY seq LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          [instanceId],
        );
        let n = 0;
        for (const d of due) {
          const read = throughPartners(d.envelope.type) ? owed.get(d.message_id) : undefined;
          // Arrived after the documents were read: sent next time, in its turn.
          if (throughPartners(d.envelope.type) && !read) break;
          const documents = read && (await this.documents.stillOwed(tx, read));
          try {
            if (!runtime.send) throw new ConnectorError('config', 'the connector cannot send');
            const send = runtime.send.bind(runtime);
            const context = {
              ...(await this.crm.customerForSend(instanceId, d.envelope)),
              ...(d.force ? { force: true } : {}),
              ...(documents ? { documents: documents.documents } : {}),
            };
            // Nothing a partner may see changed in a way it is told about: nothing to write.
            if (!documents || documents.documents.length)
              await this.circuits.run(
                instanceId,
                () => send(d.envelope, context),
                instance.maxRequestsPerSecond,
              );
            if (documents) await this.documents.noteSent(tx, documents.sent);
            await tx.query(
              `UPDATE connector_delivery SET state = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL, force = false
                WHERE instance_id = $1 AND message_id = $2`,
              [instanceId, d.message_id],
            );
            n++;
          } catch (e) {
            const err = ConnectorError.from(e, `send ${d.envelope.type}`);
            const retry = err.disposition === 'retry';
            await tx.query(
              `UPDATE connector_delivery SET attempts = attempts + 1, last_error = $3,
                      state = CASE WHEN $4 THEN state WHEN $5 THEN 'conflict' ELSE 'failed' END
                WHERE instance_id = $1 AND message_id = $2`,
              [
                instanceId,
                d.message_id,
                `${err.kind}: ${err.message}`.slice(0, 2000),
                retry,
                err.kind === 'conflict',
              ],
            );
            this.log.warn(`${instanceId}: ${err.kind}: ${err.message}`);
            if (retry) break; // keep the order: the rest waits for this one
          }
        }
        return n;
      });
    } finally {
      await runtime.close?.();
    }
  }
}
