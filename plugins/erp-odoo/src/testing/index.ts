export * from './odoo.fake';
