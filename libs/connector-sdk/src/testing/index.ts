/** `@tradelane/connector-sdk/testing`: the conformance kit every plugin's test suite runs. */
export * from './conformance';
export * from './demo-connector';
export * from './edi';
