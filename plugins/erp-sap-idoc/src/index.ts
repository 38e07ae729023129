export * from './erp-sap-idoc.config';
export * from './erp-sap-idoc.connector';
export * from './mapping/idoc.mapper';
export * from './mapping/idoc/idoc.parser';
export * from './mapping/idoc/idoc.segments';
export * from './mapping/idoc/idoc.xml';
export * from './outbound/idoc.writer';
