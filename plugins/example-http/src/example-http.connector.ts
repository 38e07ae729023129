import { ConnectorError, defineConnector } from '@tradelane/connector-sdk';
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
  secrets: ['apiToken'],
  capabilities: {
    pull: [
      { name: 'customers', description: 'Customers changed after the cursor', emits: [STREAMS.customers] },
      { name: 'orders', description: 'Orders changed after the cursor', emits: [STREAMS.orders] },
    ],
  },
  create(config) {
    const client = new ExampleHttpClient(config);
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
