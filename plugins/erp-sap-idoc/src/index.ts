export * from './erp-sap-idoc.config';
export * from './erp-sap-idoc.connector';
export * from './idoc/debmas.writer';
export * from './idoc/idoc.parser';
export * from './idoc/idoc.segments';
export * from './idoc/idoc.xml';
export * from './mapping/idoc.mapper';
