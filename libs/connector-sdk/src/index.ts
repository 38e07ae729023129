/**
 * The connector contract plugins implement (STYLE.md rules 6–10): the only package a plugin depends
 * on besides @tradelane/contracts, and only what a plugin needs (its declaration and types, errors,
 * config validation, signature, drop-folder and file-name helpers, the conformance kit). The host
 * that runs plugins (registry, secrets, outbound policy, file roots) is @tradelane/connector-host.
 */
export * from './connector-config';
export * from './connector-kinds';
export * from './connector.error';
export * from './define-connector';
export * from './drop-folder';
export * from './edi-context';
export * from './partner-documents';
export * from './safe-file-path';
export * from './sftp';
export * from './signature';
export * from './standard-webhooks';
export * from './utf8';
