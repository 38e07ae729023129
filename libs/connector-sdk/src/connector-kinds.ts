import { SOURCE_CONTEXTS, SourceContext } from '@tradelane/contracts';

/**
 * A connector's kind is the message context its records are published under: `erp` connectors
 * publish `erp.order.upserted.v1`, `wms` (warehouse) ones `wms.*`, `tms` (transport) ones `tms.*`.
 * One vocabulary for both (the SDK once said warehouse/transport where messages said wms/tms).
 */
export const CONNECTOR_KINDS = SOURCE_CONTEXTS;
export type ConnectorKind = SourceContext;
