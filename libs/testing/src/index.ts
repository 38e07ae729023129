import 'reflect-metadata';
export * from './browser';
export * from './factories';
export * from './probe.handler';
export * from './processes';
export * from './test-app';
export * from './test-broker';
export * from './test-database';
export * from './test-services';
