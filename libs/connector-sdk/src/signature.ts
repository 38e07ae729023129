import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 of the raw body compared in constant time with what the partner sent, e.g.
 * `x-signature: sha256=<hex>` (GitHub style) or a bare base64 digest (Shopify style).
 */
export function hmacSha256Matches(
  secret: string,
  body: Buffer,
  given: string | undefined,
  options: { prefix?: string; encoding?: 'hex' | 'base64' } = {},
): boolean {
  const { prefix = '', encoding = 'hex' } = options;
  if (!given || !given.startsWith(prefix)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  let actual: Buffer;
  try {
    actual = Buffer.from(given.slice(prefix.length), encoding);
  } catch {
    return false;
  }
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
