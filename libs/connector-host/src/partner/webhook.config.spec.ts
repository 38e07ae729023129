/**
 * Every event a partner may subscribe to reaches the webhook consumer: its queue is bound to
 * PARTNER_WEBHOOK_BINDINGS (messaging), the event names live here; a new webhook event whose crm
 * event no binding routes would be accepted by the API and never delivered.
 */
import { PARTNER_WEBHOOK_BINDINGS, topicMatches } from '@tradelane/messaging';
import { WEBHOOK_EVENT_NAMES, WEBHOOK_EVENT_TYPES, webhookEventOf } from './webhook.config';

it('routes the crm event of every webhook event to the partner-webhooks consumer', () => {
  for (const name of WEBHOOK_EVENT_NAMES) {
    const type = WEBHOOK_EVENT_TYPES[name];
    expect({ type, routed: PARTNER_WEBHOOK_BINDINGS.some((b) => topicMatches(b, type)) }).toEqual({
      type,
      routed: true,
    });
    expect(webhookEventOf(type)).toBe(name);
  }
});
