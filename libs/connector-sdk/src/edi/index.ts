/**
 * EDI for connectors (`@tradelane/connector-sdk/edi`): X12 reading that survives what partners
 * really send, element checks from a segment dictionary, loops as data, acknowledgements, and
 * writing through node-x12. Shared by the warehouse and transport plugins, which still import
 * only the SDK.
 */
export * from './x12/x12.ack';
export * from './x12/x12.connector';
export * from './x12/x12.envelope';
export * from './x12/x12.inbound';
export * from './x12/x12.mapping';
export * from './x12/x12.received-acks';
export * from './x12/x12.segments';
export * from './x12/x12.tokenizer';
export * from './x12/x12.transaction';
export * from './x12/x12.writer';
