export const CONNECTOR_KINDS = ['erp', 'warehouse', 'transport', 'email', 'portal'] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

/**
 * Message-type context each connector kind publishes under (`erp.order.upserted.v1`,
 * `wms.delivery...`, `tms.delivery...`), see @tradelane/contracts SOURCE_CONTEXTS.
 */
export const CONTEXT_OF_KIND: Record<ConnectorKind, 'erp' | 'wms' | 'tms' | 'email' | 'portal'> = {
  erp: 'erp',
  warehouse: 'wms',
  transport: 'tms',
  email: 'email',
  portal: 'portal',
};
