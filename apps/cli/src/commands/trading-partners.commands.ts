import { AddTradingPartnerDto } from '@tradelane/connector-host';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Command } from 'commander';
import { limit, print, withApp } from '../cli.util';

const row = (p: Record<string, unknown>) => ({
  id: p.id,
  name: p.name,
  standard: p.standard,
  interchange: `${String(p.qualifier)}/${String(p.interchangeId)}`,
  customer: p.customerExternalId ?? '',
  ack: p.acknowledgement,
  sets: ((p.transactionSets as string[] | undefined) ?? []).join(',') || 'all',
  status: p.status,
  lastControl: p.lastControl ?? '',
  lastReceivedAt: p.lastReceivedAt ?? '',
});

/** `trading-partners ...`: the EDI senders of a tenant (who, as which customer, which acknowledgements). */
export function tradingPartnerCommands(program: Command): void {
  const partners = program.command('trading-partners').description('EDI trading partners');
  partners
    .command('list')
    .description('trading partners, with the last interchange received from each')
    .option('--standard <x12|edifact>', 'only this standard')
    .option('--q <prefix>', 'name or interchange id starts with')
    .option('--limit <n>', 'page size (1-200)', limit, 50)
    .option('--offset <n>', 'skip this many', (v) => Math.max(0, Math.trunc(Number(v)) || 0), 0)
    .option('--json', 'print JSON')
    .action((o) =>
      withApp(async (app) => {
        const page = await app.tradingPartners({
          standard: o.standard,
          q: o.q,
          limit: o.limit,
          offset: o.offset,
        });
        if (o.json) return print([page], true);
        print(page.items.map(row), false);
        console.log(`${page.items.length} of ${page.total}`);
      }),
    );
  partners
    .command('add <name>')
    .description('add a trading partner: an interchange from a sender that is not one is refused and kept')
    .requiredOption('--standard <x12|edifact>', 'x12 or edifact')
    .requiredOption('--id <interchange id>', 'X12 ISA06 / EDIFACT UNB sender id')
    .option('--qualifier <q>', 'X12 ISA05 (ZZ, 01, 02, 12…) / EDIFACT UNB 0007', '')
    .option('--customer <externalId>', 'the unified customer the partner is (its id in --customer-source)')
    .option('--customer-source <instance>', 'connector instance holding that customer')
    .option('--ack <997|999|CONTRL|none>', 'acknowledgement it wants (default 997 / CONTRL)')
    .option(
      '--control-counts <warn|reject>',
      'control counts that disagree: accept with a warning, or reject',
    )
    .option('--time-zone <zone>', 'IANA zone of its local times')
    .option('--payment-terms-days <n>', 'days to due date of invoices stating none', limit)
    .option('--sets <list>', 'agreed transaction sets / messages, comma-separated (default all)')
    .option('--versions <list>', 'agreed versions (GS08 004010, UNH D96A), comma-separated (default any)')
    .option('--tenant <tenant>', 'tenant', 'default')
    .action((name: string, o) =>
      withApp(async (app) => {
        const input = plainToInstance(AddTradingPartnerDto, {
          name,
          standard: o.standard,
          qualifier: o.qualifier,
          interchangeId: o.id,
          customerExternalId: o.customer,
          customerSource: o.customerSource,
          acknowledgement: o.ack,
          controlCounts: o.controlCounts,
          timeZone: o.timeZone,
          paymentTermsDays: o.paymentTermsDays,
          transactionSets: o.sets
            ? String(o.sets)
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : undefined,
          versions: o.versions
            ? String(o.versions)
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : undefined,
          tenant: o.tenant,
        });
        const [problem] = validateSync(input, { whitelist: true, forbidNonWhitelisted: true });
        if (problem) {
          console.error(`${problem.property}: ${Object.values(problem.constraints ?? {})[0] ?? 'invalid'}`);
          process.exitCode = 1;
          return;
        }
        const added = await app.addTradingPartner(input);
        console.log(`added trading partner ${String(added.id)}`);
        print([row(added)], false);
      }),
    );
}
