/** What the benches share: arguments, a bench database, the real API process, peak RSS, logging. */
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';

export const args = process.argv.slice(2);

export const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

export function log(msg: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

/** Peak resident memory of a process (Linux VmHWM), MB. */
export function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const kb = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

export const ownPeakRssMb = () => process.resourceUsage().maxRSS / 1024;

/** The bench's own database next to DATABASE_URL's; created (or rebuilt with --reseed). */
export async function benchDatabase(name: string, bench: string): Promise<string> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.error(`${bench} needs DATABASE_URL (eval "$(scripts/ensure-services.sh)")`);
    process.exit(1);
  }
  const admin = new Client({ connectionString: base });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount;
  if (args.includes('--reseed') && exists) await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  if (!exists || args.includes('--reseed')) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Starts the real API from dist (no broker: in-process bus; no sample data) and waits for /health. */
export async function startApi(
  dbUrl: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const dist = path.resolve(__dirname, '../..');
  const child = fork(path.join(dist, 'apps/api/src/main.js'), [], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_URL: dbUrl,
      PORT: String(port),
      TRADELANE_SAMPLE: 'off',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  process.on('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('api did not become healthy within 120 s');
}
