import { Injectable, Logger } from '@nestjs/common';
import { CanonicalRecord, ConnectorError, DEFAULT_WEBHOOK_TOLERANCE_SECONDS } from '@tradelane/connector-sdk';
import { createEnvelope, Envelope, WebhookReceivedV1 } from '@tradelane/contracts';
import { AppError } from '@tradelane/http';
import { INBOUND_EXCHANGE, OutboxRelay, UnitOfWork } from '@tradelane/messaging';
import { Database, OutboxRepository } from '@tradelane/persistence';
import { ConnectorInstanceService } from './connector-instance.service';
import { RecordChecks } from './record-checks.service';
import { recordEnvelope, recordMessageId } from './record-id.util';

/**
 * The only headers kept with a push (stored in the envelope, shown with a dead letter): an allow-list,
 * so credentials, tokens and signatures (authorization, cookies, x-partner-token, webhook-signature...)
 * never reach the database or the API.
 */
const KEPT_HEADERS =
  /^(content-type|content-encoding|user-agent|webhook-id|webhook-timestamp|x-correlation-id|x-request-id)$/i;
/** Seen delivery ids are kept this long: twice the signature tolerance. */
const SEEN_FOR_SECONDS = 2 * DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
const MAX_BODY = 10 * 1024 * 1024;
/** How many problems a dry run lists (the count covers all). */
const DRY_RUN_PROBLEMS = 20;

/** What an import did (or, dry run, would do). */
export type ImportReport =
  | { dryRun: false; fileName: string; messageId: string }
  | {
      dryRun: true;
      fileName: string;
      /** Records the file would produce. */
      records: number;
      byType: Record<string, number>;
      /** Records (rows) that would be dead-lettered, or 1 when the file cannot be read at all. */
      rejected: number;
      /** The first problems, each naming file, row and column. */
      problems: { field: string; reason: string }[];
    };

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
    private readonly checks: RecordChecks,
  ) {}

  async receive(
    instanceId: string,
    channel: string,
    body: Buffer,
    headers: Record<string, string | string[] | undefined>,
    /** Refuses the caller of an unsigned channel without a credential allowed to push (401/403). */
    authorizeUnsigned: (instanceTenant: string) => Promise<void>,
  ): Promise<string> {
    if (body.length > MAX_BODY) throw new AppError('invalid', `the body is larger than ${MAX_BODY} bytes`);
    const { instance, def, runtime } = await this.instances.runtime(instanceId);
    try {
      const spec = def.capabilities.accept?.find((c) => c.name === channel && c.via === 'webhook');
      if (!spec) throw new AppError('not-found', `${def.id} has no webhook channel "${channel}"`);
      if (instance.state === 'paused')
        throw new AppError('unavailable', `${instanceId} is paused: send again later`);
      const flat = Object.fromEntries(
        Object.entries(headers)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v as string)]),
      );
      let signedAt: Date | undefined;
      let deliveryId: string | undefined;
      if (spec.signed) {
        if (!runtime.verifySignature)
          throw new AppError('invalid', `${def.id} declares ${channel} signed but cannot verify signatures`);
        const verdict = runtime.verifySignature(channel, body, flat);
        if (!verdict.ok) {
          this.log.warn(
            `${instanceId} ${channel}: push refused: ${verdict.reason} (${body.length} bytes not stored)`,
          );
          throw new AppError('unauthorized', `push refused: ${verdict.reason}`);
        }
        signedAt = verdict.timestamp;
        deliveryId = verdict.id;
      } else await authorizeUnsigned(instance.tenant);
      const kept = Object.fromEntries(Object.entries(flat).filter(([k]) => KEPT_HEADERS.test(k)));
      // When it was sent (signed: a replay cannot make it newer) or taken, kept with the payload:
      // redeliveries and redrives translate it the same.
      kept[RECEIVED_AT] = (signedAt ?? new Date()).toISOString();
      return await this.publish(instanceId, instance.tenant, channel, body, kept, undefined, deliveryId);
    } finally {
      await runtime.close?.();
    }
  }

  /**
   * A file handed in by a person (API or CLI) to an instance that accepts files: the connector's
   * first webhook channel unless `channel` names one. `dryRun` translates it here and reports what
   * it would produce and the first problems by file, row and column, writing nothing; otherwise it
   * is committed like a dropped file and translated on the bus (bad rows dead-lettered one by one).
   */
  async importFile(
    instanceId: string,
    body: Buffer,
    options: { fileName: string; channel?: string; dryRun: boolean; contentType?: string },
  ): Promise<ImportReport> {
    if (body.length > MAX_BODY) throw new AppError('invalid', `the file is larger than ${MAX_BODY} bytes`);
    if (!body.length) throw new AppError('invalid', 'the file is empty');
    const fileName = options.fileName.replace(/[^\w.\- ]/g, '_').slice(0, 200) || 'upload';
    const { instance, def, runtime } = await this.instances.runtime(instanceId);
    try {
      const webhookChannels = (def.capabilities.accept ?? []).filter((c) => c.via === 'webhook');
      const spec = options.channel
        ? webhookChannels.find((c) => c.name === options.channel)
        : webhookChannels.find((c) => !c.signed);
      if (!spec || !runtime.accept)
        throw new AppError(
          'invalid',
          `${def.id} takes no files${options.channel ? ` on "${options.channel}"` : ''} (channels: ${webhookChannels.map((c) => c.name).join(', ') || 'none'})`,
        );
      const headers: Record<string, string> = {
        'x-file-name': fileName,
        [RECEIVED_AT]: new Date().toISOString(),
        ...(options.contentType ? { 'content-type': options.contentType } : {}),
      };
      if (!options.dryRun) {
        if (instance.state === 'paused')
          throw new AppError('unavailable', `${instanceId} is paused: import again after resuming it`);
        const messageId = await this.publish(instanceId, instance.tenant, spec.name, body, headers);
        return { dryRun: false, messageId, fileName };
      }
      let records: CanonicalRecord[];
      try {
        records = await runtime.accept(spec.name, body, { ...headers, 'x-dry-run': 'true' });
      } catch (err) {
        const e = ConnectorError.from(err, `import ${fileName}`);
        return {
          dryRun: true,
          fileName,
          records: 0,
          byType: {},
          rejected: 1,
          problems: [{ field: e.field ?? fileName, reason: e.message }],
        };
      }
      const byType: Record<string, number> = {};
      for (const r of records) if (!r.rejected) byType[r.type] = (byType[r.type] ?? 0) + 1;
      const rejected = records.filter((r) => r.rejected);
      return {
        dryRun: true,
        fileName,
        records: records.length - rejected.length,
        byType,
        rejected: rejected.length,
        problems: rejected.slice(0, DRY_RUN_PROBLEMS).map((r) => ({ ...r.rejected! })),
      };
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
    /** A signed push's `webhook-id`: remembered in the same transaction; seen before means replayed. */
    deliveryId?: string,
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
    await this.db.transaction(async (tx) => {
      if (deliveryId) {
        await tx.query(
          `DELETE FROM connector_webhook_seen WHERE seen_at < now() - make_interval(secs => $1)`,
          [SEEN_FOR_SECONDS],
        );
        const fresh: unknown[] = await tx.query(
          `INSERT INTO connector_webhook_seen (instance_id, webhook_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
          [instanceId, deliveryId],
        );
        if (!fresh.length) {
          this.log.warn(
            `${instanceId} ${channel}: push refused: webhook-id ${deliveryId} was already taken (replay)`,
          );
          throw new AppError(
            'unauthorized',
            `push refused: webhook-id ${deliveryId} was already taken (replayed)`,
          );
        }
      }
      await this.outbox.enqueue(tx, [{ exchange: INBOUND_EXCHANGE, envelope }]);
    });
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
        const instance = { id: e.source, tenant: e.tenant, kind: def.kind };
        const { valid, problems } = this.checks.split(records, (r) => {
          const { rejected: _, ...record } = r;
          return recordEnvelope(instance, record as CanonicalRecord, { causedBy: e });
        });
        // A record its contract refuses is a mapping bug: the raw payload is refused with it (kept
        // as a dead letter whole, redrivable after the fix), naming the record and the field.
        const bug = problems.find((p) => !p.byConnector);
        if (bug) {
          const { envelope: env, reason, field } = bug;
          const n = bug.index + 1;
          throw new ConnectorError(
            'permanent',
            `record ${n} of ${records.length} (${env.type} ${env.key}) fails its contract: ${reason}`,
            { field: `record ${n} ${field}` },
          );
        }
        await uow.emit(valid, INBOUND_EXCHANGE);
        await this.checks.keep(
          uow.tx,
          problems.map((p) => {
            const raw = records[p.index].rejected?.raw;
            return raw ? { ...p, envelope: rawPart(e, p.index, raw, p.envelope.key) } : p;
          }),
        );
      } catch (err) {
        throw ConnectorError.from(err, `webhook ${e.payload.channel}`);
      } finally {
        await runtime.close?.();
      }
    }
  }
}

/**
 * The part of a received payload a rejected record came from, as a payload of its own on the same
 * channel: kept as the dead letter, so a redrive after a fix translates just that part again. The
 * id comes from the payload's id and the position, so a redelivery keeps one dead letter.
 */
function rawPart(
  received: Envelope<WebhookReceivedV1>,
  index: number,
  raw: string,
  key: string,
): Envelope<WebhookReceivedV1> {
  const headers = { ...received.payload.headers };
  headers['x-file-name'] = `${headers['x-file-name'] ?? received.payload.channel}#${key}`;
  headers['x-part-of'] = received.id;
  return createEnvelope({
    id: recordMessageId(received.source, 'raw-part', key, received.occurredAt, { of: received.id, index }),
    type: 'connector.webhook.received.v1',
    source: received.source,
    tenant: received.tenant,
    key: received.key,
    occurredAt: received.occurredAt,
    causedBy: received,
    payload: {
      channel: received.payload.channel,
      contentType: received.payload.contentType,
      headers,
      bodyBase64: Buffer.from(raw, 'utf8').toString('base64'),
    },
  });
}
