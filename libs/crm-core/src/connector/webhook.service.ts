import { Injectable, Logger } from '@nestjs/common';
import { ConnectorError } from '@tradelane/connector-sdk';
import { createEnvelope, Envelope, WebhookReceivedV1 } from '@tradelane/contracts';
import { INBOUND_EXCHANGE, OutboxRelay } from '@tradelane/messaging';
import { Database, OutboxRepository } from '@tradelane/persistence';
import { UnitOfWork } from '../context/unit-of-work';
import { CrmError } from '../crm.errors';
import { ConnectorInstanceService } from './connector-instance.service';
import { recordEnvelope } from './record-id.util';

/** Headers kept with a webhook (never credentials: authorization, cookies and signatures stay out). */
const DROPPED_HEADERS = /^(authorization|cookie|proxy-authorization|x-api-key)$/i;
const MAX_BODY = 10 * 1024 * 1024;
/** Header the runtime adds to every pushed or dropped payload: when it was taken (ISO 8601). */
export const RECEIVED_AT = 'x-received-at';

/**
 * Inbound webhooks (`accept` channels): the HTTP side checks the instance, the channel and the
 * partner's signature, then commits the raw payload to the outbox (`connector.webhook.received.v1`,
 * answered only once committed, so it survives a crash and a broker outage on either database, the
 * embedded one included; the relay takes it to the bus); the bus side translates it with the connector and
 * writes the records to the outbox in the same transaction. A payload the connector cannot
 * translate is dead-lettered whole with the reason, and can be redriven.
 */
@Injectable()
export class WebhookService {
  private readonly log = new Logger('Webhooks');

  constructor(
    private readonly instances: ConnectorInstanceService,
    private readonly db: Database,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
  ) {}

  async receive(
    instanceId: string,
    channel: string,
    body: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<string> {
    if (body.length > MAX_BODY) throw new CrmError('invalid', `the body is larger than ${MAX_BODY} bytes`);
    const { instance, def, runtime } = await this.instances.runtime(instanceId);
    try {
      const spec = def.capabilities.accept?.find((c) => c.name === channel && c.via === 'webhook');
      if (!spec) throw new CrmError('not-found', `${def.id} has no webhook channel "${channel}"`);
      if (instance.state === 'paused')
        throw new CrmError('unavailable', `${instanceId} is paused: send again later`);
      const flat = Object.fromEntries(
        Object.entries(headers)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v as string)]),
      );
      if (spec.signed) {
        if (!runtime.verifySignature)
          throw new CrmError('invalid', `${def.id} declares ${channel} signed but cannot verify signatures`);
        if (!runtime.verifySignature(channel, body, flat)) {
          this.log.warn(`${instanceId} ${channel}: signature refused (${body.length} bytes not stored)`);
          throw new CrmError('unauthorized', 'the signature does not match the body');
        }
      }
      const kept = Object.fromEntries(Object.entries(flat).filter(([k]) => !DROPPED_HEADERS.test(k)));
      // When we took it, kept with the payload: redeliveries and redrives translate it the same.
      kept[RECEIVED_AT] = new Date().toISOString();
      return await this.publish(instanceId, instance.tenant, channel, body, kept);
    } finally {
      await runtime.close?.();
    }
  }

  /**
   * A payload taken from outside (HTTP push or dropped file), committed whole to the outbox (on its
   * way to the bus) until the connector translates it. When this returns, the payload is durable:
   * only then is a push answered or a file moved. `id` makes a re-read of the same file the same
   * message (the inbox skips it).
   */
  async publish(
    instanceId: string,
    tenant: string,
    channel: string,
    body: Buffer,
    headers: Record<string, string>,
    id?: string,
  ): Promise<string> {
    const envelope = createEnvelope({
      ...(id ? { id } : {}),
      type: 'connector.webhook.received.v1',
      source: instanceId,
      tenant,
      key: `${instanceId}/${channel}`,
      payload: {
        channel,
        contentType: headers['content-type'],
        headers,
        bodyBase64: body.toString('base64'),
      },
    });
    await this.db.transaction((tx) => this.outbox.enqueue(tx, [{ exchange: INBOUND_EXCHANGE, envelope }]));
    this.relay.wake();
    return envelope.id;
  }

  /** Bus side: translate each received payload; its records go to tradelane.inbound through the outbox. */
  async translate(uow: UnitOfWork, events: Envelope<WebhookReceivedV1>[]): Promise<void> {
    for (const e of events) {
      const { def, runtime } = await this.instances.runtime(e.source);
      try {
        if (!runtime.accept) throw new ConnectorError('config', `${def.id} cannot accept pushed payloads`);
        const records = await runtime.accept(
          e.payload.channel,
          Buffer.from(e.payload.bodyBase64, 'base64'),
          e.payload.headers,
        );
        await uow.emit(
          records.map((r) =>
            recordEnvelope({ id: e.source, tenant: e.tenant, kind: def.kind }, r, { causedBy: e }),
          ),
          INBOUND_EXCHANGE,
        );
      } catch (err) {
        throw ConnectorError.from(err, `webhook ${e.payload.channel}`);
      } finally {
        await runtime.close?.();
      }
    }
  }
}
