/**
 * Exports every message contract as JSON Schema to libs/contracts/schemas/ (for partners).
 *   --check   fail when the committed files differ from what the code generates (CI drift check)
 */
import { exportContractSchemas } from '@tradelane/contracts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import 'reflect-metadata';

const dir = path.resolve(__dirname, '../libs/contracts/schemas');
const check = process.argv.includes('--check');
const generated = new Map(
  exportContractSchemas().map((s) => [s.fileName, `${JSON.stringify(s.schema, null, 2)}\n`]),
);

if (check) {
  const existing = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.schema.json')) : [];
  const problems: string[] = [];
  for (const [file, text] of generated) {
    const p = path.join(dir, file);
    if (!fs.existsSync(p)) problems.push(`missing ${file}`);
    else if (fs.readFileSync(p, 'utf8') !== text) problems.push(`out of date ${file}`);
  }
  for (const f of existing) if (!generated.has(f)) problems.push(`stale ${f} (no such contract)`);
  if (problems.length) {
    console.error(
      `contract schemas drift from the code: ${problems.join(', ')}. Run npm run contracts:export.`,
    );
    process.exit(1);
  }
  console.log(`contracts: ${generated.size} JSON Schemas match the code`);
} else {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir))
    if (f.endsWith('.schema.json') && !generated.has(f)) fs.rmSync(path.join(dir, f));
  for (const [file, text] of generated) fs.writeFileSync(path.join(dir, file), text);
  console.log(`contracts: wrote ${generated.size} JSON Schemas to ${path.relative(process.cwd(), dir)}`);
}
