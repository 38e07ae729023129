/**
 * The allowed dependencies between the parts of Tradelane (docs/architecture.md), checked in CI
 * (`npm run deps:check`, a step of the test command). Tests may reach further (a medium spec of
 * crm-core boots the whole product through @tradelane/testing), so the rules are on source files.
 */
const TESTS = '(\\.spec|\\.medium-spec|-spec)\\.ts$|/testing/|/__fixtures__/';

module.exports = {
  forbidden: [
    {
      name: 'crm-core-knows-no-connectors',
      comment:
        'The CRM domain imports neither the connector SDK nor the host nor a plugin: the host reads it through CrmRecordsPort.',
      severity: 'error',
      from: { path: '^libs/crm-core/src/', pathNot: TESTS },
      to: { path: '^(libs/(connector-sdk|connector-host|composition)|plugins)/' },
    },
    {
      name: 'host-knows-no-crm',
      comment: 'The connector host imports no crm-core file (it talks to the CRM through CrmRecordsPort).',
      severity: 'error',
      from: { path: '^libs/connector-host/src/', pathNot: TESTS },
      to: { path: '^(libs/(crm-core|composition)|plugins)/' },
    },
    {
      name: 'plugins-import-only-sdk-and-contracts',
      comment: 'A plugin imports only @tradelane/connector-sdk and @tradelane/contracts (and npm packages).',
      severity: 'error',
      from: { path: '^plugins/[^/]+/src/' },
      to: { path: '^libs/', pathNot: '^libs/(connector-sdk|contracts)/' },
    },
    {
      name: 'plugins-import-no-other-plugin',
      severity: 'error',
      from: { path: '^plugins/([^/]+)/src/' },
      to: { path: '^plugins/', pathNot: '^plugins/$1/' },
    },
    {
      name: 'sdk-is-small',
      comment:
        'The SDK depends on contracts only: nothing of the host, the domain or the infrastructure leaks to plugins.',
      severity: 'error',
      from: { path: '^libs/connector-sdk/src/' },
      to: { path: '^(libs|plugins)/', pathNot: '^libs/(connector-sdk|contracts)/' },
    },
    {
      name: 'one-composition-root',
      comment: 'Only the apps and libs/testing compose the process (processModules): libraries do not.',
      severity: 'error',
      from: { path: '^(libs|plugins)/', pathNot: '^libs/(composition|testing)/' },
      to: { path: '^libs/composition/' },
    },
    {
      name: 'infrastructure-knows-no-domain',
      comment: 'contracts, persistence, messaging, http and access are below the domain and the host.',
      severity: 'error',
      from: { path: '^libs/(contracts|persistence|messaging|http|access)/src/', pathNot: TESTS },
      to: { path: '^(libs/(crm-core|connector-host|connector-sdk|composition)|plugins)/' },
    },
    {
      name: 'crm-features-keep-their-tables',
      comment:
        "A crm-core feature reaches another only through its services and ports, never its repository or entity (context, the shared kernel, is everyone's). Cycles between features, SQL outside repositories and writes to another feature's tables: scripts/check-crm-features.mjs.",
      severity: 'error',
      from: { path: '^libs/crm-core/src/([^/]+)/', pathNot: TESTS },
      to: {
        path: '^libs/crm-core/src/[^/]+/.+\\.(repository|entity)\\.ts$',
        pathNot: '^libs/crm-core/src/($1|context)/',
      },
    },
    {
      name: 'no-cycle-between-libs',
      comment: 'Libraries form a layered graph.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { circular: true, pathNot: '^libs/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|data)/' },
    includeOnly: { path: '^(apps|libs|plugins)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
