import 'reflect-metadata';
export * from './contract.registry';
export * from './contracts';
export * from './customer.contract';
export * from './envelope';
export * from './envelope.factory';
export * from './json-schema';
export * from './message.validation';
export * from './order.contract';
