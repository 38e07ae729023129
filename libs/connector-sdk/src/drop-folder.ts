import { constants, promises as fs } from 'node:fs';
import { CheckResult } from './define-connector';

/**
 * `check()` for connectors that read a drop folder (and may take HTTP pushes too): the folder must
 * be readable and writable (taken files move to `processed/`); without one, only pushes are taken.
 */
export async function checkDropFolder(folder: string | undefined): Promise<CheckResult> {
  if (!folder) return { ok: true, code: 'ok', message: 'HTTP push only (no dropFolder)' };
  try {
    await fs.access(folder, constants.R_OK | constants.W_OK);
    return { ok: true, code: 'ok', message: `drop folder ${folder} is readable and writable` };
  } catch (e) {
    return { ok: false, code: 'config', message: `drop folder ${folder}: ${(e as Error).message}` };
  }
}
