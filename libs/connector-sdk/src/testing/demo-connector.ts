import { IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { ConnectorDefinition, defineConnector } from '../define-connector';

/** A small, valid declaration for tests of the SDK and the host (a pull stream, a send, a secret). */
export class DemoConfig {
  @IsUrl({ require_tld: false }) baseUrl: string;
  @IsString() apiKey: string;
  @IsOptional() @IsInt() @Min(1) @Max(1000) pageSize = 100;
}

const runtime = () => ({
  check: async () => ({ ok: true, code: 'ok' as const, message: 'reachable' }),
  discover: async () => ({ streams: ['orders'] }),
});

export const demoConnector = (patch: Partial<ConnectorDefinition<DemoConfig>> = {}) =>
  defineConnector<DemoConfig>({
    id: 'erp-demo',
    kind: 'erp',
    version: '1.2.0',
    compatibility: '^1',
    description: 'Demo',
    configSchema: DemoConfig,
    secrets: ['apiKey'],
    capabilities: {
      pull: [{ name: 'orders', description: 'Orders changed since the cursor', emits: ['order.upserted'] }],
      send: ['crm.customer.updated.v1'],
    },
    create: runtime,
    ...patch,
  });
