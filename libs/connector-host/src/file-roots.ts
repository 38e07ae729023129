import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where connectors may read and write files: the folders (roots) an operator allowed, resolved
 * through symlinks, so that a drop folder cannot be `/etc` or `/root/.ssh`, and a file name taken
 * from partner data (`<DOCNUM>../../x</DOCNUM>`) cannot leave its folder.
 */
export class FileRoots {
  private readonly real: string[];

  constructor(readonly roots: readonly string[]) {
    if (!roots.length) throw new Error('FileRoots: at least one root');
    for (const r of roots)
      if (!path.isAbsolute(r)) throw new Error(`TRADELANE_FILE_ROOTS: "${r}" is not an absolute path`);
    this.real = roots.map((r) => resolveReal(r));
  }

  /**
   * The folder, resolved through symlinks (for a folder that does not exist yet: its nearest
   * existing parent), when it lies inside a root; otherwise the reason it does not.
   */
  check(folder: string): { ok: true; real: string } | { ok: false; reason: string } {
    if (!path.isAbsolute(folder)) return { ok: false, reason: `${folder} is not an absolute path` };
    const real = resolveReal(folder);
    if (this.real.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep)))
      return { ok: true, real };
    return {
      ok: false,
      reason: `${folder}${real !== path.resolve(folder) ? ` (${real})` : ''} is outside the folders connectors may use (TRADELANE_FILE_ROOTS=${this.roots.join(',')})`,
    };
  }
}

/** realpath of the path, or of its nearest existing ancestor joined with the rest. */
function resolveReal(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return path.join(fs.realpathSync(at), ...rest.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return abs;
      rest.push(path.basename(at));
      at = parent;
    }
  }
}
