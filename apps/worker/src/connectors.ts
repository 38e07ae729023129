import { ConnectorDefinition } from '@tradelane/connector-sdk';
import { erpD365Connector } from '@tradelane/erp-d365';
import { erpSapIdocConnector } from '@tradelane/erp-sap-idoc';
import { exampleHttpConnector } from '@tradelane/example-http';

/**
 * The installed connectors (STYLE.md rule 9): an explicit list, read by every process (the API
 * checks and configures instances, the worker pulls them, the CLI operates them). To install a
 * plugin: add it to package.json / plugins/, import its declaration here, rebuild.
 */
export const CONNECTORS: ConnectorDefinition[] = [
  exampleHttpConnector,
  erpSapIdocConnector,
  erpD365Connector,
];
