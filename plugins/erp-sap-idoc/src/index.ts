export * from './idoc/debmas.writer';
export * from './idoc/idoc.parser';
export * from './idoc/idoc.segments';
export * from './mapping/idoc.mapper';
