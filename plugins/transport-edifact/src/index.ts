export * from './mapping/acks.mapper';
export * from './mapping/despatch.mapper';
export * from './mapping/invoice.mapper';
export * from './mapping/orders.mapper';
export * from './mapping/status.mapper';
export * from './mapping/stock.mapper';
export * from './transport-edifact.config';
export * from './transport-edifact.connector';
