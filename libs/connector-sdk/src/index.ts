/**
 * The connector contract plugins implement (STYLE.md rules 6–10). Filled by the connector SDK
 * issue: defineConnector, check/discover/pull/accept/send, ConnectorError, conformance kit.
 * What exists today is the vocabulary the rest of the code already relies on.
 */
export const CONNECTOR_KINDS = ['erp', 'warehouse', 'transport', 'email', 'portal'] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

/**
 * Message-type context each connector kind publishes under (`erp.order.upserted.v1`,
 * `wms.delivery...`, `tms.shipment...`), see @tradelane/contracts SOURCE_CONTEXTS.
 */
export const CONTEXT_OF_KIND: Record<ConnectorKind, 'erp' | 'wms' | 'tms' | 'email' | 'portal'> = {
  erp: 'erp',
  warehouse: 'wms',
  transport: 'tms',
  email: 'email',
  portal: 'portal',
};
