import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope } from '@tradelane/contracts';
import { BusContext, HandlerExtras, PARTNER_WEBHOOKS_CONSUMER } from '@tradelane/messaging';
import { WebhookDispatcher } from './webhook-dispatcher';
import { webhookEventOf } from './webhook.config';

/**
 * CRM events partners may subscribe to, owed to each subscription that asked for the event type,
 * in the inbox's transaction (a redelivered event is owed once: one row per subscription and
 * event id). Whether the partner may see the record is decided when it is sent, in a transaction
 * set to that partner (WebhookDispatcher): a record it may not see is never sent.
 */
@Controller()
export class WebhookFanoutHandler {
  constructor(private readonly dispatcher: WebhookDispatcher) {}

  // Not 'crm.#': Nest keys handlers by pattern, and connectors-out's handler has that one.
  @EventPattern<string>('crm.*.*.v1', {
    batch: true,
    consumer: PARTNER_WEBHOOKS_CONSUMER,
  } satisfies HandlerExtras)
  async owed(@Payload() events: Envelope[], @Ctx() ctx: BusContext): Promise<void> {
    const rows = events.flatMap((e) => {
      const type = webhookEventOf(e.type);
      return type
        ? [
            {
              tenant: e.tenant,
              event_id: e.id,
              event_type: type,
              occurred_at: e.occurredAt,
              payload: e.payload,
            },
          ]
        : [];
    });
    if (!rows.length) return;
    const owed = (await ctx.tx.query(
      `INSERT INTO partner_webhook_delivery (tenant, partner_id, subscription_id, event_id, event_type, occurred_at, payload, next_attempt_at)
       SELECT s.tenant, s.partner_id, s.id, t.event_id, t.event_type, t.occurred_at, t.payload, now()
         FROM jsonb_to_recordset($1::jsonb) AS t(tenant text, event_id uuid, event_type text, occurred_at timestamptz, payload jsonb)
         JOIN partner_webhook_subscription s ON s.tenant = t.tenant AND t.event_type = ANY (s.event_types)
        WHERE s.status <> 'paused'
       ON CONFLICT (subscription_id, event_id) DO NOTHING RETURNING 1`,
      [JSON.stringify(rows)],
    )) as unknown[];
    if (owed.length) this.dispatcher.wakeSoon();
  }
}
