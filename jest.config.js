// Three tiers (Immich style): unit specs next to the code (no I/O), medium specs against real
// PostgreSQL + RabbitMQ (`*.medium-spec.ts`), end-to-end suites booting the real apps (`test/e2e`).
/** @type {import('jest').Config} */
const moduleNameMapper = {
  '^@tradelane/(contracts|messaging|persistence|crm-core|connector-sdk|connector-host|access|http|composition|testing)$':
    '<rootDir>/libs/$1/src',
  '^@tradelane/(contracts|messaging|persistence|crm-core|connector-sdk|connector-host|access|http|composition|testing)/(.*)$':
    '<rootDir>/libs/$1/src/$2',
  '^@tradelane/(example-http|erp-sap-idoc|erp-d365|erp-odoo|file-import|transport-x12|warehouse-x12|transport-edifact)$':
    '<rootDir>/plugins/$1/src',
  '^@tradelane/(example-http|erp-odoo)/testing$': '<rootDir>/plugins/$1/src/testing',
  '^@tradelane/plugins$': '<rootDir>/plugins/installed',
};
const transform = { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] };
const base = {
  moduleFileExtensions: ['ts', 'js', 'json'],
  rootDir: __dirname,
  transform,
  moduleNameMapper,
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  // Inline snapshots are written without Prettier (Jest 29 cannot load Prettier 3); `npm run format` tidies them.
  prettierPath: null,
};
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,plugins}/**/*.spec.ts'] },
    { ...base, displayName: 'medium', testMatch: ['<rootDir>/{apps,libs,plugins}/**/*.medium-spec.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
  ],
};
