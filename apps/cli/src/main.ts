import { SecretBox } from '@tradelane/connector-host';
import { LEDGER_STATUSES, LedgerStatus } from '@tradelane/persistence';
import { Command, Option } from 'commander';
import 'reflect-metadata';
import { iso, limit, print, useApi, withApp } from './cli.util';
import { connectorCommands } from './commands/connectors.commands';
import { importCommand } from './commands/import.command';
import { tradingPartnerCommands } from './commands/trading-partners.commands';

export function buildCli(): Command {
  const program = new Command('tradelane')
    .description('Tradelane operators CLI')
    .showHelpAfterError()
    .option(
      '--api <url>',
      'send the command to a running API (e.g. http://127.0.0.1:3000) instead of opening the database; also TRADELANE_API',
    )
    .hook('preAction', (cmd) => {
      useApi((cmd.opts().api as string | undefined) ?? process.env.TRADELANE_API);
    });

  program
    .command('migrate')
    .description('run pending database migrations')
    .action(() => withApp(async (b) => console.log(await b.migrate())));

  const dlq = program.command('dlq').description('dead-letter store');
  dlq
    .command('list')
    .description('list dead letters (oldest first)')
    .option('--type <type>', 'only this message type')
    .option('--key <key>', 'only this business key')
    .option('--source <instance>', 'only messages from this connector instance (erp-odoo:main)')
    .addOption(
      new Option('--status <status>', 'dead or redriven').choices(['dead', 'redriven']).default('dead'),
    )
    .option('--limit <n>', 'at most n rows', limit, 50)
    .option('--json', 'print JSON')
    .action((o) =>
      withApp(async (app) => {
        const page = await app.deadLetterPage({
          type: o.type,
          key: o.key,
          source: o.source,
          status: o.status,
          limit: o.limit,
        });
        print(
          o.json
            ? page.items
            : page.items.map((d) => ({
                id: d.id,
                messageId: d.messageId,
                type: d.type,
                key: d.key,
                code: d.errorCode,
                field: d.errorField,
                attempts: d.attempts,
                reason: String(d.errorMessage ?? '').slice(0, 80),
              })),
          !!o.json,
        );
      }),
    );
  dlq
    .command('redrive')
    .description(
      'send dead letters back to their consumer: one by --id, or every one of --type, --key and/or --source',
    )
    .option('--id <messageId>', 'one message')
    .option('--type <type>', 'every dead letter of a type')
    .option('--key <key>', 'every dead letter of a business key')
    .option('--source <instance>', 'every dead letter of messages from a connector instance (erp-odoo:main)')
    .option('--limit <n>', 'at most n messages', limit, 1000)
    .action((o) =>
      withApp(async (app) => {
        const result = await app.redrive({
          messageId: o.id,
          type: o.type,
          key: o.key,
          source: o.source,
          limit: o.limit,
        });
        console.log(`redriven: ${result.count}${result.count ? ` (${result.messageIds.join(', ')})` : ''}`);
      }),
    );

  const ledger = program.command('ledger').description('message ledger');
  ledger
    .command('show <key>')
    .description('everything that happened to the messages of a business key (or a message id with --id)')
    .option('--id', 'treat the argument as a message id')
    .addOption(new Option('--status <status>').choices([...LEDGER_STATUSES]))
    .option('--limit <n>', 'at most n entries', limit, 100)
    .option('--json', 'print JSON')
    .action((key: string, o) =>
      withApp(async (app) => {
        const q = {
          ...(o.id ? { messageId: key } : { key }),
          status: o.status as LedgerStatus | undefined,
          limit: o.limit,
        };
        const page = await app.ledgerPage(q);
        const items = page.items.reverse();
        print(
          o.json
            ? items
            : items.map((e) => ({
                at: iso(e.at),
                messageId: e.messageId,
                dir: e.direction,
                consumer: e.consumer,
                type: e.type,
                status: e.status,
                attempt: e.attempt,
                error: e.errorCode ? `${e.errorCode}: ${String(e.errorMessage ?? '').slice(0, 60)}` : '',
              })),
          !!o.json,
        );
      }),
    );

  program
    .command('audit')
    .description('the audit log: who changed what, when, from where (newest first)')
    .command('list')
    .description('list audit rows, filtered')
    .option('--actor <who>', 'e-mail of a user, name or id of an API key')
    .option('--action <action>', 'an action or its start (merge., auth.login)')
    .option('--target <id>', 'the id of the thing changed')
    .option('--tenant <tenant>', 'the tenant (in process; over HTTP the token decides)', 'default')
    .option('--limit <n>', 'at most n rows', limit, 100)
    .option('--json', 'print JSON')
    .action((o) =>
      withApp(async (app) => {
        const page = await app.auditPage({
          actor: o.actor,
          action: o.action,
          target: o.target,
          limit: o.limit,
          ...(app.where.startsWith('the API') ? {} : { tenant: o.tenant }),
        });
        print(
          o.json
            ? page.items
            : (page.items as Record<string, unknown>[]).map((r) => ({
                at: iso(r.at as string),
                actor: r.actorName,
                action: r.action,
                target: r.targetId ?? '',
                route: r.route ?? '',
                ip: r.ip ?? '',
              })),
          !!o.json,
        );
      }),
    );

  connectorCommands(program);
  importCommand(program);
  tradingPartnerCommands(program);

  const secrets = program
    .command('secrets')
    .description('keys that seal connector secrets (TRADELANE_SECRET_KEYS)');
  secrets
    .command('keygen [id]')
    .description(
      'print a new key: put it first in TRADELANE_SECRET_KEYS (comma-separated), then run `secrets rotate`',
    )
    .action((id?: string) => console.log(SecretBox.generateKeySpec(id)));
  secrets
    .command('rotate')
    .description('re-seal every instance secret with the first key of TRADELANE_SECRET_KEYS')
    .action(() =>
      withApp(async (app) => {
        const n = await app.rotateSecrets();
        console.log(
          `re-sealed ${n} instance(s); keys other than the first can be removed once every process has restarted`,
        );
      }),
    );

  program
    .command('sample')
    .description('publish the bundled Northwind sample to tradelane.inbound')
    .action(() =>
      withApp(async (app) => {
        const n = await app.sample();
        console.log(`published ${n} events`);
      }),
    );
  return program;
}

if (require.main === module) {
  buildCli()
    .parseAsync(process.argv)
    .catch((err) => {
      console.error(`error: ${(err as Error).message}`);
      process.exit(1);
    });
}
