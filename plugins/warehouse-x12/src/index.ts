export * from './mapping/invoices.mapper';
export * from './mapping/orders.mapper';
export * from './mapping/shipments.mapper';
export * from './mapping/stock.mapper';
export * from './warehouse-x12.config';
export * from './warehouse-x12.connector';
