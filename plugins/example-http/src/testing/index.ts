export * from './example-source';
