/**
 * bench/erp-parse: SAP flat-file IDoc parsing speed. Builds a file of N copies of the captured
 * INVOIC02 sample (112 records each), then times, in the same run, the raw baseline (read the file,
 * split it into records, take each record's segment name) and our parser (parseFlatIdocs: control
 * records checked, every known segment's fields cut out) plus the mapping to canonical invoices.
 * Prints records/s, the ratio and peak RSS. Not part of the tests.
 *
 *   npm run bench:erp-parse -- [--idocs 5000] [--rounds 5]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFlatIdocs, toCanonical } from '../../plugins/erp-sap-idoc/src';
import { log, opt, ownPeakRssMb } from '../support/harness';

const IDOCS = opt('idocs', 5_000);
const ROUNDS = opt('rounds', 5);

function best(fn: () => number): { ms: number; n: number } {
  let ms = Infinity;
  let n = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.hrtime.bigint();
    n = fn();
    ms = Math.min(ms, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms, n };
}

function main(): void {
  const sample = fs.readFileSync(
    path.resolve(__dirname, '../../../plugins/erp-sap-idoc/src/__fixtures__/blueseer_INVOIC02_flatfile.txt'),
    'latin1',
  );
  const file = path.join(os.tmpdir(), `tradelane-erp-parse-${IDOCS}.txt`);
  fs.writeFileSync(file, Array(IDOCS).fill(sample.trimEnd()).join('\n') + '\n', 'latin1');
  const mb = fs.statSync(file).size / 1024 / 1024;
  log(`file: ${IDOCS.toLocaleString('en')} INVOIC02 IDocs, ${mb.toFixed(1)} MB (${file})`);

  const raw = best(() => {
    const lines = fs.readFileSync(file, 'latin1').split(/\r?\n/);
    let n = 0;
    for (const l of lines) if (l && l.slice(0, 30).trim()) n++;
    return n;
  });
  let invoices = 0;
  const ours = best(() => {
    const idocs = parseFlatIdocs(fs.readFileSync(file, 'latin1'));
    invoices = idocs.map(toCanonical).length;
    return idocs.reduce((s, d) => s + 1 + d.segments.length, 0);
  });
  if (raw.n !== ours.n) throw new Error(`record counts differ: raw ${raw.n}, parser ${ours.n}`);
  const rate = (x: { ms: number; n: number }) => Math.round(x.n / (x.ms / 1000));
  console.log('');
  console.log(
    `bench/erp-parse: ${raw.n.toLocaleString('en')} records (${IDOCS.toLocaleString('en')} IDocs), best of ${ROUNDS}`,
  );
  console.log(
    `  raw baseline (read + split + segment name): ${rate(raw).toLocaleString('en')} records/s (${raw.ms.toFixed(0)} ms)`,
  );
  console.log(
    `  parseFlatIdocs + toCanonical (${invoices.toLocaleString('en')} invoices): ${rate(ours).toLocaleString('en')} records/s (${ours.ms.toFixed(0)} ms)`,
  );
  console.log(`  ratio parser / raw: ${(rate(ours) / rate(raw)).toFixed(2)}`);
  console.log(`  peak RSS (one process): ${ownPeakRssMb().toFixed(0)} MB`);
  fs.unlinkSync(file);
}

main();
