import * as fs from 'node:fs';
import * as path from 'node:path';

/** The lock file in an embedded data folder: which process has it open. */
export const LOCK_FILE = 'tradelane.lock';

export interface LockOwner {
  pid: number;
  /** What the process is: `api`, `cli`, `worker`... (the entry point's folder). */
  role: string;
  startedAt: string;
  /** Where its HTTP API answers, once it listens: the CLI's `--api` target. */
  api?: string;
}

/** Another live process holds the embedded database: two processes on one PGlite folder lose writes. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    const api = owner.api ?? 'http://127.0.0.1:3000';
    super(
      `the embedded database in ${dataDir} is in use by process ${owner.pid} (${owner.role}, since ${owner.startedAt}); ` +
        `two processes must never open it. Stop that process first, or send the command to it: ` +
        `npm run cli -- --api ${api} <command>`,
    );
    this.name = 'DataDirLockedError';
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A PID reused by another program after a crash: only a Node process can be ours.
  try {
    return /node/i.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true;
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/** The live owner of the folder's lock, if any (a lock left by a crashed process is not one). */
export function dataDirOwner(dataDir: string): LockOwner | null {
  const owner = readOwner(path.join(dataDir, LOCK_FILE));
  return owner && alive(owner.pid) ? owner : null;
}

/**
 * Exclusive use of an embedded data folder by this process: `tradelane.lock` holds the owner's PID,
 * created atomically (O_EXCL). A lock whose process is gone (SIGKILL, power loss) is stale and taken
 * over; a live owner makes this throw DataDirLockedError at once. Released on close and on exit.
 */
export class DataDirLock {
  private held = false;
  private readonly file: string;
  private readonly onExit = () => this.release();

  constructor(readonly dataDir: string) {
    this.file = path.join(dataDir, LOCK_FILE);
  }

  acquire(role = defaultRole()): void {
    fs.mkdirSync(this.dataDir, { recursive: true });
    const me: LockOwner = { pid: process.pid, role, startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(this.file, JSON.stringify(me), { flag: 'wx', mode: 0o644 });
        this.held = true;
        process.once('exit', this.onExit);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const owner = readOwner(this.file);
      if (owner && alive(owner.pid)) throw new DataDirLockedError(this.dataDir, owner);
      // Stale (or half-written by a process that died writing it): remove and try again.
      fs.rmSync(this.file, { force: true });
    }
    throw new Error(`could not take the lock ${this.file}: it keeps coming back`);
  }

  /** Adds what the owner offers (its API URL) for the message a second process gets. */
  announce(extra: Partial<LockOwner>): void {
    if (!this.held) return;
    const owner = readOwner(this.file);
    if (owner?.pid !== process.pid) return;
    fs.writeFileSync(this.file, JSON.stringify({ ...owner, ...extra }));
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    process.removeListener('exit', this.onExit);
    if (readOwner(this.file)?.pid === process.pid) fs.rmSync(this.file, { force: true });
  }
}

function defaultRole(): string {
  const entry = process.argv[1] ?? '';
  const m = /apps[\\/]([a-z-]+)[\\/]/.exec(entry);
  return m ? m[1] : path.basename(entry) || 'node';
}
