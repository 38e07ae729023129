import { ConnectorError, defineConnector, verifyWebhook } from '@tradelane/connector-sdk';
import { ExampleHttpClient } from './client/example-http.client';
import { ExampleHttpConfig } from './example-http.config';
import { isStream, mapPage, StreamName, STREAMS } from './mapping/example-http.mapper';

/**
 * Reference connector: a small REST source with cursor paging (`GET /v1/<stream>?after=&limit=`).
 * It exercises everything the SDK offers a pull connector and is what the conformance kit and the
 * connector operations are tested with.
 */
function known(stream: string): asserts stream is StreamName {
  if (!isStream(stream))
    throw new ConnectorError('config', `unknown stream "${stream}"`, { field: 'stream' });
}

export const exampleHttpConnector = defineConnector<ExampleHttpConfig>({
  id: 'example-http',
  kind: 'erp',
  version: '1.0.0',
  compatibility: '^1',
  description: 'Reference REST source with cursor paging (customers, orders)',
  configSchema: ExampleHttpConfig,
  secrets: ['apiToken', 'webhookSecret'],
  capabilities: {
    pull: [
      { name: 'customers', description: 'Customers changed after the cursor', emits: [STREAMS.customers] },
      { name: 'orders', description: 'Orders changed after the cursor', emits: [STREAMS.orders] },
    ],
    send: [
      'crm.customer.created.v1',
      'crm.customer.updated.v1',
      'crm.customer.merged.v1',
      'crm.customer.unmerged.v1',
      'crm.person.erased.v1',
    ],
    accept: [
      {
        name: 'orders-webhook',
        via: 'webhook',
        signed: true,
        description:
          'Orders pushed as { "items": [...] }, signed x-example-signature: sha256=<hex HMAC of the body>',
      },
    ],
  },
  create(config, context) {
    const client = new ExampleHttpClient(config, context.outbound);
    return {
      async check() {
        try {
          const h = await client.health();
          return { ok: true, code: 'ok', message: `reachable, source version ${h.version ?? 'unknown'}` };
        } catch (e) {
          const err = ConnectorError.from(e, 'check');
          return { ok: false, code: err.kind, message: err.message };
        }
      },
      async discover() {
        const h = await client.health();
        return { streams: Object.keys(STREAMS), details: { version: h.version } };
      },
      async send(event) {
        await client.postEvent({
          id: event.id,
          type: event.type,
          occurredAt: event.occurredAt,
          payload: event.payload,
        });
      },
      verifySignature(_channel, body, headers) {
        // Standard Webhooks: id, timestamp and body signed together (replays and stale pushes refused).
        return config.webhookSecret
          ? verifyWebhook(config.webhookSecret, body, headers)
          : { ok: false, reason: 'no webhookSecret is configured for this instance' };
      },
      async accept(_channel, body) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch (e) {
          throw new ConnectorError('permanent', `the body is not JSON: ${(e as Error).message}`, {
            field: 'body',
          });
        }
        const items = (parsed as { items?: unknown })?.items;
        if (!Array.isArray(items))
          throw new ConnectorError('permanent', 'the body has no items array', { field: 'items' });
        return mapPage('orders', items);
      },
      async keys(stream, since) {
        known(stream);
        return (await client.keys(stream, since)).map((k, i) => {
          if (typeof k?.id !== 'string' || typeof k.updatedAt !== 'string')
            throw new ConnectorError('permanent', `keys[${i}] needs id and updatedAt`, {
              field: `keys[${i}]`,
            });
          return { key: k.id, occurredAt: new Date(k.updatedAt).toISOString() };
        });
      },
      async fetch(stream, keys) {
        known(stream);
        return mapPage(stream, await client.byIds(stream, keys));
      },
      async pull(stream, cursor) {
        known(stream);
        const page = await client.page(stream, cursor, config.pageSize);
        return {
          records: mapPage(stream, page.items),
          cursor: page.next ?? cursor,
          hasMore: page.items.length === config.pageSize,
        };
      },
    };
  },
});
