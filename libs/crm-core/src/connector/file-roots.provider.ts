import { FileRoots } from '@tradelane/connector-sdk';
import { Database } from '@tradelane/persistence';
import * as os from 'node:os';
import * as path from 'node:path';

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
