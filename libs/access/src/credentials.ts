import { createHash, randomBytes } from 'node:crypto';
import { TokenKind } from './access-token.entity';

const TAG: Record<TokenKind, string> = { session: 'tl_ses', 'api-key': 'tl_key', 'password-reset': 'tl_rst' };

/**
 * A new bearer token: `tl_key_<12 hex>_<43 base64url>` (256 random bits in all). The first part is
 * the prefix shown in lists; the whole token is what the client sends.
 */
export function newToken(kind: TokenKind): { token: string; prefix: string; hash: string } {
  const prefix = `${TAG[kind]}_${randomBytes(6).toString('hex')}`;
  const token = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { token, prefix, hash: tokenHash(token) };
}

/** SHA-256 of a token: tokens carry 256 random bits, so a fast hash is the right one (no password). */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Whether a string has the shape of one of our tokens of these kinds (bearer: sessions and API keys);
 * anything else is refused without a lookup.
 */
export function looksLikeToken(s: string, kinds: TokenKind[] = ['session', 'api-key']): boolean {
  const m = /^(tl_[a-z]{3})_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/.exec(s);
  return !!m && kinds.some((k) => TAG[k] === m[1]);
}

/** A random password for a first administrator: 20 characters from an unambiguous alphabet. */
export function randomPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}
