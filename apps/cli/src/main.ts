import type { Reconciliation } from '@tradelane/connector-host';
import { SecretBox } from '@tradelane/connector-host';
import { LEDGER_STATUSES, LedgerStatus } from '@tradelane/persistence';
import { Command, InvalidArgumentError, Option } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import 'reflect-metadata';
import { apiBackend, CliBackend, directBackend, Row } from './cli.backend';

/** The global options: `--api <url>` sends every command to a running API instead of opening the database. */
let backendFor: () => Promise<CliBackend> = directBackend;

async function withApp<T>(fn: (b: CliBackend) => Promise<T>): Promise<T> {
  const backend = await backendFor();
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.ndjson': 'application/x-ndjson',
  '.jsonl': 'application/x-ndjson',
  '.xml': 'application/xml',
};

/** A date as JSON (string) or in process (Date), printed the same. */
function iso(v: unknown): string {
  if (!v) return '';
  return v instanceof Date ? v.toISOString() : String(v);
}

function limit(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new InvalidArgumentError('must be an integer from 1 to 10000');
  return n;
}

function print(rows: object[], json: boolean): void {
  if (json) console.log(JSON.stringify(rows, null, 2));
  else if (!rows.length) console.log('(none)');
  else console.table(rows);
}

function readConfig(v: string): Record<string, unknown> {
  const text = v.startsWith('@') ? fs.readFileSync(v.slice(1), 'utf8') : v;
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    /* reported below */
  }
  throw new InvalidArgumentError('--config must be a JSON object or @file.json');
}

function instanceRow(v: Row) {
  const check = v.lastCheck as { code: string; at: unknown } | null;
  return {
    id: v.id,
    state: v.state,
    health: v.health,
    lastCheck: check ? `${check.code} at ${iso(check.at)}` : '',
    lastSuccess: iso(v.lastSuccessAt),
    settings: JSON.stringify(v.settings),
  };
}

export function buildCli(): Command {
  const program = new Command('tradelane')
    .description('Tradelane operators CLI')
    .showHelpAfterError()
    .option(
      '--api <url>',
      'send the command to a running API (e.g. http://127.0.0.1:3000) instead of opening the database; also TRADELANE_API',
    )
    .hook('preAction', (cmd) => {
      const api = (cmd.opts().api as string | undefined) ?? process.env.TRADELANE_API;
      backendFor = api ? async () => apiBackend(api) : directBackend;
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
    .addOption(
      new Option('--status <status>', 'dead or redriven').choices(['dead', 'redriven']).default('dead'),
    )
    .option('--limit <n>', 'at most n rows', limit, 50)
    .option('--json', 'print JSON')
    .action((o) =>
      withApp(async (app) => {
        const page = await app.deadLetterPage({ type: o.type, key: o.key, status: o.status, limit: o.limit });
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
    .description('send dead letters back to their consumer, selected by exactly one of --id, --type, --key')
    .option('--id <messageId>', 'one message')
    .option('--type <type>', 'every dead letter of a type')
    .option('--key <key>', 'every dead letter of a business key')
    .option('--limit <n>', 'at most n messages', limit, 1000)
    .action((o) =>
      withApp(async (app) => {
        const result = await app.redrive({ messageId: o.id, type: o.type, key: o.key, limit: o.limit });
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

  const connectors = program.command('connectors').description('connector instances');
  connectors
    .command('list')
    .description('installed connectors and configured instances')
    .option('--json', 'print JSON')
    .action((o) =>
      withApp(async (app) => {
        const installed = await app.installed();
        const instances = await app.instances();
        if (o.json) return print([{ installed, instances }], true);
        console.log('installed:');
        print(
          installed.map((c) => ({ id: c.id, kind: c.kind, version: c.version, description: c.description })),
          false,
        );
        console.log('instances:');
        print(instances.map(instanceRow), false);
      }),
    );
  connectors
    .command('add <connector>')
    .description('add an instance: --config is JSON or @file.json; secrets are sealed, never printed')
    .requiredOption('--name <name>', 'instance name (the instance id is <connector>:<name>)')
    .requiredOption('--config <json|@file>', 'configuration, validated against the connector schema')
    .option('--tenant <tenant>', 'tenant', 'default')
    .option('--poll-seconds <n>', 'seconds between polls', limit)
    .option('--freshness-threshold <seconds>', 'lag above which the instance is degraded', limit)
    .option('--paused', 'create it paused (check or backfill it before it pulls live)')
    .option('--max-rps <n>', 'calls per second to the system (pulls, sends)', limit)
    .action((connector: string, o) =>
      withApp(async (app) => {
        const view = await app.add({
          connector,
          name: o.name,
          config: readConfig(o.config),
          tenant: o.tenant,
          pollSeconds: o.pollSeconds,
          freshnessThresholdSeconds: o.freshnessThreshold,
          paused: !!o.paused,
          maxRequestsPerSecond: o.maxRps,
        });
        console.log(`added ${view.id}`);
        print([instanceRow(view)], false);
      }),
    );
  connectors
    .command('check <instance>')
    .description('check credentials and reachability (exit 2 when the check fails)')
    .action((id: string) =>
      withApp(async (app) => {
        const r = await app.check(id);
        console.log(`${id}: ${r.code}: ${r.message}`);
        if (!r.ok) process.exitCode = 2;
      }),
    );
  connectors
    .command('status [instance]')
    .description('state, health, last check and last success of one or every instance')
    .option('--json', 'print JSON')
    .action((id: string | undefined, o) =>
      withApp(async (app) => {
        const ids = id ? [id] : (await app.instances()).map((v) => String(v.id));
        const rows = await Promise.all(ids.map((i) => app.status(i)));
        print(
          o.json
            ? rows
            : rows.map((r) => ({
                ...instanceRow(r),
                lagSeconds: r.freshnessLagSeconds ?? '',
                records: r.streams.reduce((n, s) => n + s.records, 0),
                deadLetters: r.deadLetters,
                owed: ((d) => (d ? `${d.pending} pending, ${d.failed} failed, ${d.conflict} conflict` : ''))(
                  r.deliveries as { pending: number; failed: number; conflict: number } | undefined,
                ),
                backlog: r.backlog,
                lastError: String(r.lastError ?? '').slice(0, 60),
              })),
          !!o.json,
        );
      }),
    );
  for (const [command, state] of [
    ['pause', 'paused'],
    ['resume', 'running'],
  ] as const)
    connectors
      .command(`${command} <instance>`)
      .description(
        command === 'pause' ? 'stop pulling (the cursor is kept)' : 'pull again from the kept cursor',
      )
      .action((id: string) =>
        withApp(async (app) => {
          const view = await app.setState(id, state);
          console.log(`${view.id}: ${view.state}`);
        }),
      );

  connectors
    .command('reconcile <instance>')
    .description(
      "compare the source's keys with the CRM and list what is missing (exit 3); --repull fetches it again",
    )
    .option('--since <date>', 'only records changed since (ISO 8601)')
    .option('--repull', 're-pull the missing records')
    .option('--json', 'print JSON')
    .action((id: string, o) =>
      withApp(async (app) => {
        const r = (await app.reconcile(id, {
          since: o.since,
          repull: !!o.repull,
        })) as unknown as Reconciliation;
        if (o.json) return print([r], true);
        for (const s of r.streams) {
          console.log(
            `${s.stream}: ${s.atSource} at the source, ${s.held} held, ${s.missing.length} missing`,
          );
          if (s.missing.length) console.log(`  missing: ${s.missing.join(', ')}`);
          for (const d of s.days) console.log(`  ${d.day}: ${d.atSource} at the source, ${d.held} held`);
        }
        if (r.received.length) {
          console.log('pushed and dropped payloads per day (from the ledger):');
          print(r.received, false);
        }
        if (o.repull) console.log(`re-pulled ${r.repulled} record(s)`);
        else if (r.streams.some((s) => s.missing.length) || r.received.some((d) => d.unaccounted))
          process.exitCode = 3;
      }),
    );

  connectors
    .command('deliveries <instance>')
    .description(
      'CRM events owed to the instance, newest first (state: pending, sent, failed, conflict, resolved)',
    )
    .addOption(
      new Option('--state <state>', 'only this state').choices([
        'pending',
        'sent',
        'failed',
        'conflict',
        'resolved',
      ]),
    )
    .option('--limit <n>', 'at most n rows (1-500)', limit, 50)
    .option('--json', 'print JSON')
    .action((id: string, o) =>
      withApp(async (app) => {
        const page = await app.deliveries(id, { state: o.state, limit: Math.min(o.limit, 500), offset: 0 });
        if (o.json) return print(page.items, true);
        console.log(`${page.total} deliver${page.total === 1 ? 'y' : 'ies'}${o.state ? ` ${o.state}` : ''}`);
        print(
          page.items.map((d) => ({
            messageId: d.messageId,
            type: d.type,
            state: d.state,
            attempts: d.attempts,
            at: iso(d.sentAt ?? d.createdAt),
            error: String(d.lastError ?? d.resolution ?? '').slice(0, 100),
          })),
          false,
        );
      }),
    );
  connectors
    .command('resend <instance>')
    .description('put failed deliveries back in the queue after a fix: one (--id) or every failed one')
    .option('--id <messageId>', 'one delivery')
    .action((id: string, o) =>
      withApp(async (app) => {
        const r = await app.resend(id, o.id);
        console.log(`re-queued ${r.requeued} deliver${r.requeued === 1 ? 'y' : 'ies'} to ${id}`);
      }),
    );
  connectors
    .command('resolve <instance> <messageId>')
    .description(
      "settle a conflict: --take crm sends the CRM's value again (overwriting); --take system takes the system's value into the CRM",
    )
    .addOption(
      new Option('--take <side>', 'whose value wins').choices(['crm', 'system']).makeOptionMandatory(),
    )
    .option('--actor <who>', 'who decides (kept with the resolution)')
    .option('--note <why>', 'why (kept with the resolution)')
    .action((id: string, messageId: string, o) =>
      withApp(async (app) => {
        const r = await app.resolve(id, messageId, { take: o.take, actor: o.actor, note: o.note });
        console.log(`${messageId}: ${r.state}: ${r.resolution}`);
      }),
    );

  connectors
    .command('backfill <instance>')
    .description('reload history (all streams or --stream) on the backfill lane, without outbound CRM events')
    .option('--stream <stream>', 'one pull stream')
    .option('--wait', 'wait until it is done, printing progress')
    .action((id: string, o) =>
      withApp(async (app) => {
        const started = await app.backfill(id, o.stream);
        console.log(`backfill started: ${started.map((b) => `${b.stream} (${b.id})`).join(', ')}`);
        if (!o.wait) return;
        const ids = new Set(started.map((b) => b.id));
        for (;;) {
          await new Promise((r) => setTimeout(r, 2_000));
          const mine = (await app.backfills(id)).filter((b) => ids.has(b.id));
          console.log(mine.map((b) => `${b.stream}: ${b.state}, ${b.records} records`).join('; '));
          if (mine.every((b) => b.state !== 'running')) {
            if (mine.some((b) => b.state === 'failed')) process.exitCode = 2;
            return;
          }
        }
      }),
    );

  program
    .command('import <instance> <file>')
    .description(
      'load a file (CSV, NDJSON, JSON) through an instance that takes files (file-import); --dry-run only reports',
    )
    .option(
      '--dry-run',
      'translate and report the records and the first problems by row and column; write nothing',
    )
    .option('--channel <channel>', "the connector's channel (default: its first unsigned webhook channel)")
    .action((id: string, file: string, o) =>
      withApp(async (app) => {
        let body: Buffer;
        try {
          body = fs.readFileSync(file);
        } catch (e) {
          throw new InvalidArgumentError(`${file}: ${(e as Error).message}`);
        }
        const fileName = path.basename(file);
        const r = await app.importFile(id, body, {
          fileName,
          dryRun: !!o.dryRun,
          channel: o.channel,
          contentType: CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        });
        if (!r.dryRun) {
          console.log(
            `${fileName}: taken (message ${r.messageId}); rows that cannot be loaded become dead letters: npm run cli -- dlq list --type erp.order.upserted.v1`,
          );
          return;
        }
        const types = Object.entries(r.byType).map(([t, n]) => `${n} ${t}`);
        console.log(
          `${fileName} (dry run, nothing written): ${r.records} records${types.length ? ` (${types.join(', ')})` : ''}, ${r.rejected} rejected`,
        );
        for (const p of r.problems) console.log(`  ${p.reason}`);
        if (r.rejected > r.problems.length) console.log(`  ... and ${r.rejected - r.problems.length} more`);
        if (r.rejected) process.exitCode = 3;
      }),
    );

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
