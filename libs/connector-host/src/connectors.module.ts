import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConnectorDefinition } from '@tradelane/connector-sdk';
import { ConnectorRegistry } from './connector.registry';

/**
 * The explicit list of installed connectors (STYLE.md rule 9): the app passes it once, e.g.
 * `ConnectorsModule.forRoot([exampleHttpConnector, erpOdooConnector])`.
 */
@Global()
@Module({})
export class ConnectorsModule {
  static forRoot(connectors: ConnectorDefinition[]): DynamicModule {
    return {
      module: ConnectorsModule,
      providers: [
        {
          provide: ConnectorRegistry,
          useFactory: () => {
            const registry = new ConnectorRegistry();
            for (const c of connectors) registry.register(c);
            return registry;
          },
        },
      ],
      exports: [ConnectorRegistry],
    };
  }
}
