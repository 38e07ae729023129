import { Database } from '@tradelane/persistence';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileRoots } from './file-roots';
import { OutboundPolicy } from './outbound';

export const FILE_ROOTS = Symbol('FILE_ROOTS');

/** Where the server install keeps drop and outbound folders (README "Installing on a server"). */
export const DEFAULT_SERVER_FILE_ROOT = '/srv/tradelane';

/**
 * The folders connectors may read and write (`TRADELANE_FILE_ROOTS`, comma-separated absolute
 * paths). Unset: on the embedded default the folder that holds its data folder (so `./data/drop`
 * next to `./data/pglite` works out of the box; an in-memory database: the temp folder); on
 * PostgreSQL `/srv/tradelane`.
 */
export function fileRootsFor(db: Database, env: NodeJS.ProcessEnv = process.env): FileRoots {
  const spec = env.TRADELANE_FILE_ROOTS?.trim();
  if (spec)
    return new FileRoots(
      spec
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  if (!db.embedded) return new FileRoots([DEFAULT_SERVER_FILE_ROOT]);
  const dir = db.config.dataDir;
  return new FileRoots([dir && !dir.startsWith('memory://') ? path.dirname(path.resolve(dir)) : os.tmpdir()]);
}

export const OUTBOUND_POLICY = Symbol('OUTBOUND_POLICY');

/**
 * Which non-public address ranges connectors may call (TRADELANE_OUTBOUND_ALLOW). Unset: none on
 * PostgreSQL (production); loopback on the embedded default, so an evaluation can connect to a
 * system on the same machine (`npm run example-source`).
 */
export function outboundPolicyFor(db: Database, env: NodeJS.ProcessEnv = process.env): OutboundPolicy {
  const spec = env.TRADELANE_OUTBOUND_ALLOW ?? (db.embedded ? 'loopback' : '');
  return OutboundPolicy.fromSpec(spec);
}
