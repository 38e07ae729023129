// Lint rules. The dependency rule of STYLE.md is enforced here: plugins may import only
// @tradelane/connector-sdk and @tradelane/contracts (never core internals, never another plugin).
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const pluginRestrictions = {
  patterns: [
    {
      group: [
        '@tradelane/*',
        '!@tradelane/connector-sdk',
        '!@tradelane/connector-sdk/*',
        '!@tradelane/contracts',
        '!@tradelane/contracts/*',
      ],
      message: 'Plugins may import only @tradelane/connector-sdk and @tradelane/contracts (STYLE.md rule 4).',
    },
    {
      group: ['**/libs/**', '**/plugins/**', '../../*/**'],
      message: 'Plugins may not reach into libs/ or other plugins by relative path (STYLE.md rule 4).',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '.tmp/**', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // The web app (React): the rules of hooks, and browser globals.
    files: ['apps/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['libs/crm-core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['amqplib', 'amqp-connection-manager', 'axios', 'express'], patterns: ['plugins/*'] },
      ],
    },
  },
  {
    files: ['plugins/**/*.ts'],
    // plugins/installed.ts is the list of installed plugins, not a plugin: it imports each of them.
    ignores: ['plugins/installed.ts', 'plugins/installed.spec.ts'],
    rules: { 'no-restricted-imports': ['error', pluginRestrictions] },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    // Plain Node scripts (jest.config.js, scripts/*.js) are CommonJS.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', 'test/**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['apps/cli/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'scripts/**/*.mjs', 'test/**/*.mjs'],
    rules: { 'no-console': 'off' },
  },
);
