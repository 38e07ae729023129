import type { Reconciliation } from '@tradelane/connector-host';
import { Command, Option } from 'commander';
import { instanceRow, iso, limit, print, readConfig, withApp } from '../cli.util';

/** `connectors ...`: instances of installed connectors, their health, reconciliation, deliveries and backfills. */
export function connectorCommands(program: Command): void {
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
}
