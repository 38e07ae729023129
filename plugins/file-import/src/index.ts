export * from './file-import.config';
export * from './file-import.connector';
export * from './mapping/import-mapping';
export * from './mapping/row-mapper';
export * from './mapping/table-reader';
