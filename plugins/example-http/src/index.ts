export * from './example-http.config';
export * from './example-http.connector';
