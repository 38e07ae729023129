/**
 * The connector contract plugins implement (STYLE.md rules 6–10): the only package a plugin depends
 * on besides @tradelane/contracts. Core never imports a plugin; plugins never import core.
 */
export * from './connector-config';
export * from './connector-kinds';
export * from './connector.error';
export * from './connector.registry';
export * from './connectors.module';
export * from './define-connector';
export * from './drop-folder';
export * from './file-roots';
export * from './outbound';
export * from './secret-box';
export * from './signature';
export * from './standard-webhooks';
