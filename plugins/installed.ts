import { ConnectorDefinition } from '@tradelane/connector-sdk';
import { erpD365Connector } from '@tradelane/erp-d365';
import { erpOdooConnector } from '@tradelane/erp-odoo';
import { erpSapIdocConnector } from '@tradelane/erp-sap-idoc';
import { exampleHttpConnector } from '@tradelane/example-http';
import { fileImportConnector } from '@tradelane/file-import';
import { transportEdifactConnector } from '@tradelane/transport-edifact';
import { transportX12Connector } from '@tradelane/transport-x12';
import { warehouseX12Connector } from '@tradelane/warehouse-x12';

/**
 * The installed connectors (STYLE.md rule 9): the one explicit list that every process (the API
 * checks and configures instances, the worker pulls them, the CLI operates them) and every test
 * (`@tradelane/testing` boots the product with it) reads. To install a plugin: add its folder
 * under plugins/, import its declaration here, rebuild. `plugins/installed.spec.ts` fails when a
 * plugin folder is neither here nor in EXPERIMENTAL_PLUGINS, or when a README calls a connector
 * installed that is not.
 */
export const INSTALLED_CONNECTORS: readonly ConnectorDefinition[] = [
  exampleHttpConnector,
  erpSapIdocConnector,
  erpD365Connector,
  erpOdooConnector,
  fileImportConnector,
  transportX12Connector,
  transportEdifactConnector,
  warehouseX12Connector,
];

/** Plugin folders that exist but are deliberately not installed, each with the reason. */
export const EXPERIMENTAL_PLUGINS: Readonly<Record<string, string>> = {};
