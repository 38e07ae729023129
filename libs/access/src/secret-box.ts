import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const PREFIX = 'tlsb1';

/**
 * Connector secrets at rest: AES-256-GCM (Node's crypto, authenticated encryption) with a key ring.
 * `TRADELANE_SECRET_KEYS=<id>:<base64 32-byte key>[,<id>:<key>...]`: the first key seals, every key
 * opens, so a key is rotated by putting a new one first, re-sealing (`rotate`), then dropping the old.
 * Sealed form: `tlsb1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts); the key id and the
 * purpose (e.g. the instance id) are authenticated, so a value cannot be moved to another instance.
 */
export class SecretBox {
  private constructor(
    private readonly keys: Map<string, Buffer>,
    readonly currentKeyId: string,
  ) {}

  static fromSpec(spec: string | undefined): SecretBox {
    if (!spec?.trim())
      throw new Error(
        'TRADELANE_SECRET_KEYS is not set: connector secrets need a key (generate one with `npm run cli -- secrets keygen`)',
      );
    const keys = new Map<string, Buffer>();
    for (const part of spec
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const at = part.indexOf(':');
      const id = part.slice(0, at);
      if (at <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id))
        throw new Error(`TRADELANE_SECRET_KEYS: "${id || part.slice(0, 8)}…" is not <key id>:<base64 key>`);
      const key = Buffer.from(part.slice(at + 1), 'base64');
      if (key.length !== 32)
        throw new Error(`TRADELANE_SECRET_KEYS: key "${id}" must be 32 bytes (base64), got ${key.length}`);
      if (keys.has(id)) throw new Error(`TRADELANE_SECRET_KEYS: key id "${id}" appears twice`);
      keys.set(id, key);
    }
    return new SecretBox(keys, [...keys.keys()][0]);
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox {
    return SecretBox.fromSpec(env.TRADELANE_SECRET_KEYS);
  }

  /** A new random key in the spec format, for `secrets keygen`. */
  static generateKeySpec(id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`): string {
    return `${id}:${randomBytes(32).toString('base64')}`;
  }

  seal(plaintext: string, purpose: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.currentKeyId) as Buffer, iv);
    cipher.setAAD(Buffer.from(`${PREFIX}:${this.currentKeyId}:${purpose}`));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [PREFIX, this.currentKeyId, iv, cipher.getAuthTag(), ct]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  open(sealed: string, purpose: string): string {
    const [prefix, keyId, iv, tag, ct] = sealed.split(':');
    if (prefix !== PREFIX || ct === undefined) throw new Error('not a sealed secret');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`secret sealed with key "${keyId}", which TRADELANE_SECRET_KEYS no longer has`);
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${PREFIX}:${keyId}:${purpose}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new Error('secret does not authenticate (wrong key, wrong instance, or altered)');
    }
  }

  /** Sealed with an older key: `rotate` it. */
  needsRotation(sealed: string): boolean {
    return sealed.split(':')[1] !== this.currentKeyId;
  }

  rotate(sealed: string, purpose: string): string {
    return this.needsRotation(sealed) ? this.seal(this.open(sealed, purpose), purpose) : sealed;
  }
}
