export * from './erp-d365.config';
export * from './erp-d365.connector';
export * from './mapping/d365.mapper';
