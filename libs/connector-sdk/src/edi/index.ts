/**
 * EDI for connectors (`@tradelane/connector-sdk/edi`): X12 and UN/EDIFACT reading that survives
 * what partners really send, element checks, loops / segment groups as data, acknowledgements
 * (997/999, CONTRL, APERAK), writing X12 through node-x12, and the runtime both standards share.
 * Used by the warehouse and transport plugins, which still import only the SDK.
 */
export * from './edi.connector';
export * from './edifact/edifact.ack';
export * from './edifact/edifact.envelope';
export * from './edifact/edifact.inbound';
export * from './edifact/edifact.mapping';
export * from './edifact/edifact.message';
export * from './edifact/edifact.reader';
export * from './edifact/edifact.runtime';
export * from './partner-documents.out';
export * from './x12/x12.ack';
export * from './x12/x12.documents';
export * from './x12/x12.envelope';
export * from './x12/x12.inbound';
export * from './x12/x12.mapping';
export * from './x12/x12.received-acks';
export * from './x12/x12.runtime';
export * from './x12/x12.segments';
export * from './x12/x12.series';
export * from './x12/x12.tokenizer';
export * from './x12/x12.transaction';
export * from './x12/x12.writer';
