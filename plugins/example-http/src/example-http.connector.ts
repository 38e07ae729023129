import { ConnectorError, defineConnector } from '@tradelane/connector-sdk';
import { ExampleHttpClient } from './client/example-http.client';
import { ExampleHttpConfig } from './example-http.config';
import { isStream, mapPage, STREAMS } from './mapping/example-http.mapper';

/**
 * Reference connector: a small REST source with cursor paging (`GET /v1/<stream>?after=&limit=`).
 * It exercises everything the SDK offers a pull connector and is what the conformance kit and the
 * connector operations are tested with.
 */
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
      async pull(stream, cursor) {
        if (!isStream(stream))
          throw new ConnectorError('config', `unknown stream "${stream}"`, { field: 'stream' });
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
