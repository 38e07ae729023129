import {
  checkDropFolder,
  ConnectorError,
  defineConnector,
  dropFolderAndSignedPush,
  verifySignedPush,
} from '@tradelane/connector-sdk';
import { ErpD365Config } from './erp-d365.config';
import { D365Error, d365ToCustomers, d365ToOrders } from './mapping/d365.mapper';

/**
 * Dynamics 365 F&O Data Management Framework exports (XML) from a drop folder or pushed over HTTP:
 * customers (CustCustomerV3Entity) and sales orders (SalesOrderHeaderV2Entity with its lines).
 */
export const erpD365Connector = defineConnector<ErpD365Config>({
  id: 'erp-d365',
  kind: 'erp',
  version: '0.1.0',
  compatibility: '^1',
  description: 'Dynamics 365 F&O DMF XML (customers, sales orders) from a drop folder or HTTP',
  configSchema: ErpD365Config,
  secrets: ['webhookSecret'],
  capabilities: {
    accept: dropFolderAndSignedPush({ what: 'DMF XML exports', files: 'dmf-files', push: 'dmf' }),
  },
  create(config) {
    return {
      check: () => checkDropFolder(config.dropFolder),
      async discover() {
        return {
          streams: [],
          details: { entities: ['SalesOrderHeaderV2Entity'], dropFolder: config.dropFolder ?? null },
        };
      },
      verifySignature: (_channel, body, headers) => verifySignedPush(config.webhookSecret, body, headers),
      async accept(_channel, body, headers) {
        const receivedAt = headers['x-received-at'];
        if (!receivedAt || Number.isNaN(Date.parse(receivedAt)))
          throw new ConnectorError('permanent', 'the payload has no x-received-at time', {
            field: 'x-received-at',
          });
        try {
          const xml = body.toString('utf8');
          const at = new Date(receivedAt).toISOString();
          const customers = d365ToCustomers(xml).map((c) => ({
            type: 'customer.upserted' as const,
            key: c.externalId,
            occurredAt: at,
            payload: c,
          }));
          const orders = d365ToOrders(xml, { receivedAt: at, required: customers.length === 0 }).map((o) => ({
            type: 'order.upserted' as const,
            key: o.externalId,
            occurredAt: at,
            payload: o,
          }));
          return [...customers, ...orders];
        } catch (e) {
          if (e instanceof D365Error) throw new ConnectorError('permanent', e.message, { field: e.path });
          throw e;
        }
      },
    };
  },
});
