/**
 * Every environment variable the product reads is documented in config/tradelane.env.example
 * (as `NAME=` or `# NAME=`), and the example names none that nothing reads. CI drift check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const SCANNED = ['apps', 'libs', 'plugins'];
/** Test support and suites read their own variables; they are not the product's configuration. */
const SKIPPED = [/^libs[\\/]testing[\\/]/, /\.spec\.ts$/, /-spec\.ts$/, /[\\/]__fixtures__[\\/]/];
/** Set by the system or by npm, not by an operator. */
const NOT_CONFIG = new Set(['PATH', 'HOME', 'NODE_ENV', 'npm_package_version']);

function files(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : files(rel);
    return e.name.endsWith('.ts') && !SKIPPED.some((re) => re.test(rel)) ? [rel] : [];
  });
}

const read = new Map<string, string>();
for (const f of SCANNED.flatMap(files)) {
  const text = fs.readFileSync(path.join(root, f), 'utf8');
  // env.NAME, env['NAME'], and the config helpers' (env, 'NAME', default)
  const uses =
    /\benv(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])|\(\s*env\s*,\s*['"]([A-Z][A-Z0-9_]+)['"]/g;
  for (const m of text.matchAll(uses)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (!NOT_CONFIG.has(name) && !read.has(name)) read.set(name, f);
  }
}
const example = fs.readFileSync(path.join(root, 'config/tradelane.env.example'), 'utf8');
const documented = new Set([...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));

const missing = [...read].filter(([n]) => !documented.has(n));
const stale = [...documented].filter((n) => !read.has(n));
if (missing.length || stale.length) {
  for (const [n, f] of missing) console.error(`not in config/tradelane.env.example: ${n} (read in ${f})`);
  for (const n of stale) console.error(`in config/tradelane.env.example but read nowhere: ${n}`);
  process.exit(1);
}
console.log(`env: all ${read.size} variables the code reads are in config/tradelane.env.example`);
