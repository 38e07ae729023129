export * from './mapping/d365.mapper';
