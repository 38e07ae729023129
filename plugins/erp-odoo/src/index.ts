export * from './client/odoo.client';
export * from './erp-odoo.config';
export * from './erp-odoo.connector';
export * from './mapping/odoo.mapper';
export * from './outbound/odoo.writer';
