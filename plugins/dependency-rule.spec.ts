/**
 * The dependency rule (STYLE.md rule 4), enforced by ESLint: plugins import only
 * @tradelane/connector-sdk and @tradelane/contracts. Lints snippets as if they were plugin files.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

function lintAsPlugin(code: string): { errors: number; output: string } {
  const r = spawnSync(
    process.execPath,
    [
      path.join(root, 'node_modules/eslint/bin/eslint.js'),
      '--stdin',
      '--stdin-filename',
      'plugins/erp-example/src/example.mapper.ts',
      '--format',
      'json',
    ],
    { cwd: root, input: code, encoding: 'utf8' },
  );
  const [result] = JSON.parse(r.stdout) as { messages: { ruleId: string; message: string }[] }[];
  const restricted = result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
  return { errors: restricted.length, output: restricted.map((m) => m.message).join('\n') };
}

describe('plugin dependency rule', () => {
  jest.setTimeout(30_000);

  it('allows the connector SDK and the contracts', () => {
    expect(
      lintAsPlugin(
        "import { CONNECTOR_KINDS } from '@tradelane/connector-sdk';\nimport { CONTRACTS } from '@tradelane/contracts';\nexport const x = [CONNECTOR_KINDS, CONTRACTS];\n",
      ).errors,
    ).toBe(0);
  });

  it.each([
    ["import { CustomerService } from '@tradelane/crm-core';", '@tradelane/crm-core'],
    ["import { Database } from '@tradelane/persistence';", '@tradelane/persistence'],
    ["import { RabbitMqBus } from '@tradelane/messaging';", '@tradelane/messaging'],
    ["import { x } from '../../../libs/crm-core/src';", 'relative path into libs'],
    ["import { y } from '../../erp-other/src';", 'another plugin'],
  ])('rejects %s (%s)', (line) => {
    const { errors, output } = lintAsPlugin(`${line}\nexport const z = 1;\n`);
    expect(errors).toBe(1);
    expect(output).toMatch(/Plugins may/);
  });
});
