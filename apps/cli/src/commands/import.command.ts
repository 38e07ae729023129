import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTENT_TYPES, withApp } from '../cli.util';

/** `import <instance> <file>`: a CSV / NDJSON / JSON export through an instance that takes files. */
export function importCommand(program: Command): void {
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
}
