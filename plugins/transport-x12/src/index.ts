export * from './mapping/status-codes';
export * from './mapping/ts204.mapper';
export * from './mapping/ts210.mapper';
export * from './mapping/ts214.mapper';
export * from './mapping/ts990.mapper';
export * from './transport-x12.config';
export * from './transport-x12.connector';
