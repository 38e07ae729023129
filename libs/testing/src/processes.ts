import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** e2e suites run the compiled apps, as production does; build once if dist is missing or stale. */
export function ensureBuilt(): void {
  const entry = path.join(REPO_ROOT, 'dist/apps/worker/src/main.js');
  if (process.env.TRADELANE_SKIP_BUILD === 'true' && fs.existsSync(entry)) return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface AppProcess {
  child: ChildProcess;
  /** Last lines the process wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** Everything it wrote (up to 64 MB), for tests that scan every log line. */
  fullOutput(): string;
  /** Exit code, or the signal that ended it (Nest re-raises SIGTERM after a graceful close). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a compiled app (`api` or `worker`) with exactly the given environment (plus PATH/HOME). */
export function startApp(app: 'api' | 'worker', env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, `dist/apps/${app}/src/main.js`)], {
    cwd: REPO_ROOT,
    // The apps run on loopback for the tests: the local administrator unless a test asks for TRADELANE_AUTH=required.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'warn',
      TRADELANE_AUTH: 'local',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const all: Buffer[] = [];
  let size = 0;
  const keep = (chunk: Buffer) => {
    if (size < 64 * 1024 * 1024) {
      all.push(chunk);
      size += chunk.length;
    }
    lines.push(...chunk.toString('utf8').split('\n'));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => lines.join('\n'),
    fullOutput: () => Buffer.concat(all).toString('utf8'),
    exited,
  };
}

/**
 * Runs the compiled CLI with exactly `env` (plus PATH); resolves with its exit code and everything
 * it wrote. Asynchronous, so a server living in the test process (a partner's source) keeps
 * answering while the CLI talks to it.
 */
export function runCli(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist/apps/cli/src/main.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** Waits until a started app answers /health with 200; on time-out the error carries the app's last output. */
export async function untilHealthy(app: AppProcess, base: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    if (res?.status === 200) return;
    if (app.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${base}/health did not answer 200 within ${timeoutMs} ms\n${app.output()}`);
}
