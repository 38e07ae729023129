import { Logger } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SecretBox } from './secret-box';

/** The local key of the embedded default, in its data folder (mode 0600). */
export const EMBEDDED_KEY_FILE = 'tradelane-secret-keys';

const FIX =
  'set TRADELANE_SECRET_KEYS (generate a key with `npm run cli -- secrets keygen`, keep it in the environment file of every process)';

/**
 * Where the key ring that seals connector secrets comes from, built on first use (a process that
 * never touches a secret needs no key):
 * - TRADELANE_SECRET_KEYS, when set, always;
 * - otherwise, on the embedded default, a key generated once and kept in the data folder
 *   (`tradelane-secret-keys`, mode 0600; an in-memory database gets one for its lifetime), so an
 *   evaluation needs no step; said in the log once;
 * - otherwise (PostgreSQL, production) none: adding a secret is refused with 503 naming the setting.
 */
export function secretKeysFor(db: Database, env: NodeJS.ProcessEnv = process.env): () => SecretBox {
  let box: SecretBox | undefined;
  return () => (box ??= buildBox(db, env));
}

function buildBox(db: Database, env: NodeJS.ProcessEnv): SecretBox {
  if (env.TRADELANE_SECRET_KEYS?.trim()) {
    try {
      return SecretBox.fromEnv(env);
    } catch (e) {
      throw new AppError('unavailable', `${(e as Error).message}: ${FIX}`);
    }
  }
  if (!db.embedded)
    throw new AppError(
      'unavailable',
      `TRADELANE_SECRET_KEYS is not set: connector secrets need a key; ${FIX}`,
    );
  const dir = db.config.dataDir;
  if (!dir || dir.startsWith('memory://')) return SecretBox.fromSpec(SecretBox.generateKeySpec('local'));
  const file = path.join(dir, EMBEDDED_KEY_FILE);
  const log = new Logger('Secrets');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, `${SecretBox.generateKeySpec('local')}\n`, { mode: 0o600, flag: 'wx' });
    log.log(`embedded default: generated a local key for connector secrets in ${file} (mode 0600)`);
  } else log.log(`embedded default: connector secrets sealed with the local key in ${file}`);
  return SecretBox.fromSpec(fs.readFileSync(file, 'utf8').trim());
}
