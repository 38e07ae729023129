/**
 * bench/edi-parse: the X12 inbound pipeline (tokenize, envelopes, element checks, loops, mapping to
 * canonical records, 997) next to the parser library alone (node-x12's X12Parser.parse) on the same
 * input, in the same run: the captured 75 KB 850 and a generated interchange of ~10 MB of 850s.
 * Then a generated ~100 MB interchange streamed from disk through the same pipeline, one set at a
 * time (X12Tokenizer + X12EnvelopeReader onSet): its peak RSS shows it is never held whole, let
 * alone twice. Prints segments/s, transaction sets/s, the ratio and peak RSS. Not part of the tests.
 *
 *   npm run bench:edi-parse -- [--mb 10] [--big-mb 100] [--rounds 3]
 */
// organize-imports-ignore: reflect-metadata must load before the connector configurations' decorators.
import 'reflect-metadata';
import {
  partnersFrom,
  readTransactionSet,
  X12EnvelopeReader,
  x12Inbound,
  X12Tokenizer,
} from '@tradelane/connector-sdk/edi';
import { X12Parser } from 'node-x12';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { WAREHOUSE_X12_SETS } from '../../plugins/warehouse-x12/src';
import { log, opt, ownPeakRssMb } from '../support/harness';

const MB = opt('mb', 10);
const BIG_MB = opt('big-mb', 100);
const ROUNDS = opt('rounds', 3);

const FIXTURES = path.resolve(__dirname, '../../../plugins/warehouse-x12/src/__fixtures__');
const PARTNER = partnersFrom([
  {
    id: 'bench',
    name: 'bench',
    standard: 'x12',
    qualifier: 'ZZ',
    interchangeId: 'ACME',
    customerExternalId: 'ACME',
    acknowledgement: '997',
    controlCounts: 'warn',
    timeZone: 'UTC',
    paymentTermsDays: 30,
    transactionSets: [],
    versions: [],
  },
]);

async function best(fn: () => Promise<{ segments: number; sets: number }>) {
  let ms = Infinity;
  let out = { segments: 0, sets: 0 };
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.hrtime.bigint();
    out = await fn();
    ms = Math.min(ms, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms, ...out };
}

/** One interchange (sender ACME) of 850s, each a copy of `body` with its own numbers, to about `targetBytes`. */
function* generatedParts(body: string[], targetBytes: number): Generator<string> {
  const size = body.join('~\n').length;
  const n = Math.max(1, Math.floor(targetBytes / size));
  yield 'ISA*00*          *00*          *ZZ*ACME           *ZZ*TRADELANE      *261201*1200*U*00401*000000001*0*P*>~\n';
  yield 'GS*PO*ACME*TRADELANE*20261201*1200*1*X*004010~\n';
  for (let i = 1; i <= n; i++)
    yield (
      body
        .map((s) =>
          s
            .replace(/^ST\*850\*\w+/, `ST*850*${i}`)
            .replace(/^SE\*(\d+)\*\w+/, `SE*$1*${i}`)
            .replace(/^BEG\*00\*SA\*\w+/, `BEG*00*SA*PO${i}`),
        )
        .join('~\n') + '~\n'
    );
  yield `GE*${n}*1~\nIEA*1*000000001~\n`;
}

const generated = (body: string[], targetBytes: number): string =>
  [...generatedParts(body, targetBytes)].join('');

function setBody(text: string): string[] {
  const lines = text.split(/~?\r?\n/).filter(Boolean);
  return lines.slice(
    lines.findIndex((l) => l.startsWith('ST*')),
    lines.findIndex((l) => l.startsWith('SE*')) + 1,
  );
}

async function compare(label: string, text: string): Promise<void> {
  const body = Buffer.from(text, 'utf8');
  const library = await best(async () => {
    const ic = new X12Parser(false).parse(text) as unknown as {
      functionalGroups: { transactions: { segments: unknown[] }[] }[];
    };
    const sets = ic.functionalGroups.flatMap((g) => g.transactions);
    return { segments: sets.reduce((n, t) => n + t.segments.length + 2, 0), sets: sets.length };
  });
  let records = 0;
  const ours = await best(async () => {
    const r = await x12Inbound(body, {
      mappers: WAREHOUSE_X12_SETS,
      partner: PARTNER,
      us: { qualifier: 'ZZ', id: 'TRADELANE' },
    });
    records = r.records.length;
    const sets = r.records.length;
    return { segments: (text.match(/~/g) ?? []).length - 4, sets };
  });
  const rate = (x: { ms: number }, n: number) => Math.round(n / (x.ms / 1000));
  console.log(
    `\n${label}: ${(body.length / 1024 / 1024).toFixed(2)} MB, ${library.sets.toLocaleString('en')} transaction sets, best of ${ROUNDS}`,
  );
  console.log(
    `  node-x12 X12Parser.parse alone:        ${rate(library, library.segments).toLocaleString('en')} segments/s, ${rate(library, library.sets).toLocaleString('en')} sets/s (${library.ms.toFixed(0)} ms)`,
  );
  console.log(
    `  x12Inbound (parse+check+map+997):      ${rate(ours, library.segments).toLocaleString('en')} segments/s, ${rate(ours, library.sets).toLocaleString('en')} sets/s (${ours.ms.toFixed(0)} ms, ${records.toLocaleString('en')} records)`,
  );
  console.log(`  ratio pipeline / library: ${(library.ms / ours.ms).toFixed(2)}`);
}

async function streamBig(body: string[]): Promise<void> {
  const file = path.join(os.tmpdir(), `tradelane-edi-parse-${BIG_MB}mb.x12`);
  // Written piece by piece: the 100 MB text is never in this process's memory.
  const fd = fs.openSync(file, 'w');
  for (const part of generatedParts(body, BIG_MB * 1024 * 1024)) fs.writeSync(fd, part);
  fs.closeSync(fd);
  const bytes = fs.statSync(file).size;
  const rssBefore = process.memoryUsage().rss / 1024 / 1024;
  global.gc?.();
  const spec = WAREHOUSE_X12_SETS['850'];
  let sets = 0;
  let records = 0;
  let segments = 0;
  const t = process.hrtime.bigint();
  let peak = 0;
  const reader = new X12EnvelopeReader({
    onSet: (set, group, ic) => {
      sets++;
      segments += set.segments.length;
      const read = readTransactionSet(set, spec.spec, tokenizer.delimiters as never);
      records += spec.map(read.body, {
        interchange: ic,
        group,
        set,
        partner: {
          id: 'bench',
          name: 'bench',
          standard: 'x12',
          qualifier: 'ZZ',
          interchangeId: 'ACME',
          customerExternalId: 'ACME',
          acknowledgement: '997',
          controlCounts: 'warn',
          timeZone: 'UTC',
          paymentTermsDays: 30,
          transactionSets: [],
          versions: [],
        },
        sentAt: '2026-12-01T12:00:00.000Z',
        note: () => undefined,
      }).length;
      if (sets % 5_000 === 0) peak = Math.max(peak, process.memoryUsage().rss / 1024 / 1024);
    },
  });
  const tokenizer = new X12Tokenizer();
  const decoder = new StringDecoder('utf8');
  await new Promise<void>((resolve, reject) => {
    fs.createReadStream(file, { highWaterMark: 1 << 20 })
      .on('data', (chunk) => {
        for (const s of tokenizer.push(decoder.write(chunk as Buffer))) reader.add(s);
      })
      .on('end', () => {
        for (const s of tokenizer.push(decoder.end())) reader.add(s);
        for (const s of tokenizer.end()) reader.add(s);
        reader.end();
        resolve();
      })
      .on('error', reject);
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  peak = Math.max(peak, process.memoryUsage().rss / 1024 / 1024);
  fs.unlinkSync(file);
  console.log(
    `\nstreamed: ${(bytes / 1024 / 1024).toFixed(0)} MB file, ${sets.toLocaleString('en')} sets, ${records.toLocaleString('en')} records in ${(ms / 1000).toFixed(1)} s`,
  );
  console.log(
    `  ${Math.round(segments / (ms / 1000)).toLocaleString('en')} segments/s, ${Math.round(sets / (ms / 1000)).toLocaleString('en')} sets/s`,
  );
  console.log(
    `  RSS while streaming: ${peak.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before; the file as one string alone would be ${((bytes * 2) / 1024 / 1024).toFixed(0)} MB of UTF-16)`,
  );
}

async function main(): Promise<void> {
  const widgetsFor = () => setBody(fs.readFileSync(path.join(FIXTURES, 'ediengine_850_widgets.edi'), 'utf8'));
  if (process.argv.includes('--only-stream')) {
    // In a process of its own: its peak RSS is the streaming's alone.
    await streamBig(widgetsFor());
    console.log(`  peak RSS of the streaming process: ${ownPeakRssMb().toFixed(0)} MB`);
    return;
  }
  const large = fs.readFileSync(path.join(FIXTURES, 'blueseer_850_large_75KB.txt'), 'utf8');
  await compare('captured 850 (blueseer_850_large_75KB.txt)', large);
  const widgets = setBody(fs.readFileSync(path.join(FIXTURES, 'ediengine_850_widgets.edi'), 'utf8'));
  const ten = generated(widgets, MB * 1024 * 1024);
  log(`generated: ${MB} MB of 850s`);
  await compare(`generated ${MB} MB interchange of 850s`, ten);
  console.log(
    `\n  peak RSS of this process (node-x12 and x12Inbound on the ${MB} MB text): ${ownPeakRssMb().toFixed(0)} MB`,
  );
  const child = spawnSync(process.execPath, [__filename, '--only-stream', ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (child.status !== 0) throw new Error(`the streaming run failed (${child.status})`);
}

void main();
