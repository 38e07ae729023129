#!/usr/bin/env node
// The feature boundaries inside libs/crm-core (docs/architecture.md), checked in CI as a step of
// `npm run deps:check`. dependency-cruiser checks the imports (no feature reaches another's
// repository or entity); this script checks what it cannot see:
//   1. no import cycle between features (a feature is a folder of libs/crm-core/src; `context` is
//      the shared kernel every feature may use and that uses none);
//   2. no SQL outside a repository: services, jobs, controllers and handlers run no query;
//   3. a repository writes only its own feature's tables (a table belongs to the feature whose
//      folder holds its entity);
//   4. which unified customer a record belongs to is answered in one place: only the customer
//      feature names crm_customer_record, every other feature joins through customerOf().
// Exits 1 and names file, line and rule on a violation.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(process.argv[2] ?? 'libs/crm-core/src');
const TEST = /(\.spec|\.medium-spec|-spec|\.suite)\.ts$/;
const DATA_ACCESS = /(\.repository|\.sql)\.ts$/;
const KERNEL = 'context';
const NOT_FEATURES = new Set(['migrations']);

const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.ts') && !TEST.test(e.name)) files.push(p);
  }
})(ROOT);

const rel = (f) => path.relative(ROOT, f);
/** The feature a file belongs to: its first folder under src (root files compose the lib: none). */
const featureOf = (f) => {
  const parts = rel(f).split(path.sep);
  return parts.length > 1 && !NOT_FEATURES.has(parts[0]) ? parts[0] : null;
};
const lineOf = (text, index) => text.slice(0, index).split('\n').length;
const violations = [];
const fail = (file, text, index, rule, message) =>
  violations.push(`${rel(file)}:${lineOf(text, index)}  ${rule}: ${message}`);

const sources = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));

// --- table owners, from where each entity lives ---------------------------------------------
const owner = new Map();
for (const [f, text] of sources)
  for (const m of text.matchAll(/@Entity\(\{\s*name:\s*'([a-z_]+)'/g)) owner.set(m[1], featureOf(f));

// --- 1. the feature graph is acyclic -------------------------------------------------------
const edges = new Map(); // feature -> Map(feature -> "file → import")
for (const [f, text] of sources) {
  const from = featureOf(f);
  if (!from) continue;
  for (const m of text.matchAll(/(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)) {
    const target = path.resolve(path.dirname(f), m[1]);
    if (!target.startsWith(ROOT)) continue;
    const to = featureOf(`${target}.ts`);
    if (!to || to === from) continue;
    if (from === KERNEL) fail(f, text, m.index, 'kernel-uses-no-feature', `context imports ${to} (${m[1]})`);
    if (to === KERNEL) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to)) edges.get(from).set(to, `${rel(f)} → ${m[1]}`);
  }
}
const state = new Map();
const stack = [];
const cycles = [];
function visit(n) {
  state.set(n, 'open');
  stack.push(n);
  for (const to of edges.get(n)?.keys() ?? []) {
    if (state.get(to) === 'open') cycles.push([...stack.slice(stack.indexOf(to)), to]);
    else if (!state.has(to)) visit(to);
  }
  stack.pop();
  state.set(n, 'done');
}
for (const n of edges.keys()) if (!state.has(n)) visit(n);
for (const c of cycles)
  violations.push(
    `no-cycle-between-features: ${c.join(' → ')}\n${c
      .slice(1)
      .map((to, i) => `      ${edges.get(c[i]).get(to)}`)
      .join('\n')}`,
  );

// --- 2..4: SQL where it belongs ---------------------------------------------------------------
const RUNS_SQL =
  /\.(sql|query|createQueryBuilder|getRepository)\s*[<(]|\b(tx|manager|em)\.(save|insert|update|delete|upsert|remove|find\w*|count\w*|exists\w*|increment|decrement)\s*\(|\b(upsertNewest|advisoryLock\w*)\s*\(/g;
const WRITES =
  /(?<!\bFOR\s|\bFOR NO KEY\s|\bDO\s)\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE)\s+([a-z_][a-z0-9_]*)/gi;
for (const [f, text] of sources) {
  const feature = featureOf(f);
  if (!feature || feature === KERNEL) continue;
  if (!DATA_ACCESS.test(f)) {
    for (const m of text.matchAll(RUNS_SQL))
      fail(f, text, m.index, 'no-sql-outside-repositories', `${m[0].trim()} in a ${path.basename(f)}`);
    continue;
  }
  for (const m of text.matchAll(WRITES)) {
    const table = m[2];
    if (/^(set|of|the|a)$/i.test(table)) continue; // "DO UPDATE SET", prose in comments
    const by = owner.get(table);
    if (by !== feature)
      fail(
        f,
        text,
        m.index,
        'writes-own-tables-only',
        `${m[1].toUpperCase()} ${table}: ${by ? `a table of the ${by} feature` : 'not a table of this lib'} (ask its service)`,
      );
  }
  for (const m of text.matchAll(/\bupsertNewest\(\s*\w+,\s*'([a-z_]+)'/g))
    if (owner.get(m[1]) !== feature)
      fail(f, text, m.index, 'writes-own-tables-only', `upsert into ${m[1]} (a table of ${owner.get(m[1])})`);
}
for (const [f, text] of sources) {
  if (featureOf(f) === 'customer' || featureOf(f) === null) continue;
  for (const m of text.matchAll(/crm_customer_record/g))
    fail(
      f,
      text,
      m.index,
      'one-record-to-customer-join',
      'join through customerOf() of the customer feature',
    );
}

if (violations.length) {
  console.error(`crm-core feature boundaries: ${violations.length} violation(s)\n`);
  for (const v of violations) console.error(`  ${v}`);
  process.exit(1);
}
const features = new Set([...sources.keys()].map(featureOf).filter(Boolean));
console.log(
  `crm-core feature boundaries: ${features.size} features, ${[...edges.values()].reduce((n, e) => n + e.size, 0)} dependencies, no cycle, SQL only in repositories, each table written by its feature`,
);
