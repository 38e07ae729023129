import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed pushes, the Standard Webhooks way (https://www.standardwebhooks.com): the partner sends
 * `webhook-id` (unique per delivery), `webhook-timestamp` (Unix seconds) and `webhook-signature:
 * v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` (several space-separated when a secret is
 * rotated). Signing the timestamp and id with the body makes a captured push useless later: it is
 * refused outside the tolerance window, and its id is remembered inside it.
 */
export const WEBHOOK_ID = 'webhook-id';
export const WEBHOOK_TIMESTAMP = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE = 'webhook-signature';
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

export type WebhookVerdict = { ok: true; id: string; timestamp: Date } | { ok: false; reason: string };

const ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=$/; // exactly a SHA-256 digest

/** `whsec_<base64>` secrets are used as their decoded bytes (the scheme's format), anything else as UTF-8. */
function key(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

function digest(secret: string, id: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', key(secret)).update(`${id}.${timestamp}.`).update(body).digest();
}

/** The headers a partner (or a test) sends for `body`. */
export function signWebhook(
  secret: string,
  body: Buffer,
  o: { id: string; timestamp?: Date },
): Record<string, string> {
  const ts = String(Math.floor((o.timestamp ?? new Date()).getTime() / 1000));
  return {
    [WEBHOOK_ID]: o.id,
    [WEBHOOK_TIMESTAMP]: ts,
    [WEBHOOK_SIGNATURE]: `v1,${digest(secret, o.id, ts, body).toString('base64')}`,
  };
}

/**
 * Checks the three headers, in one exact form each: an id of 1-128 safe characters, a timestamp of
 * digits within `toleranceSeconds` of now (either way), and at least one `v1,<44 base64 chars>`
 * that matches in constant time. Nothing else is accepted (no hex, no trailing junk).
 */
export function verifyWebhook(
  secret: string,
  body: Buffer,
  headers: Record<string, string | undefined>,
  o: { toleranceSeconds?: number; now?: Date } = {},
): WebhookVerdict {
  const id = headers[WEBHOOK_ID];
  const ts = headers[WEBHOOK_TIMESTAMP];
  const sig = headers[WEBHOOK_SIGNATURE];
  if (!id || !ts || !sig)
    return {
      ok: false,
      reason: `missing ${[!id && WEBHOOK_ID, !ts && WEBHOOK_TIMESTAMP, !sig && WEBHOOK_SIGNATURE].filter(Boolean).join(', ')}`,
    };
  if (!ID.test(id)) return { ok: false, reason: `${WEBHOOK_ID} must be 1-128 letters, digits or . _ : -` };
  if (!/^\d{1,12}$/.test(ts)) return { ok: false, reason: `${WEBHOOK_TIMESTAMP} must be Unix seconds` };
  const at = Number(ts) * 1000;
  const now = (o.now ?? new Date()).getTime();
  const tolerance = (o.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS) * 1000;
  if (Math.abs(now - at) > tolerance)
    return {
      ok: false,
      reason: `${WEBHOOK_TIMESTAMP} is more than ${tolerance / 1000} s from now (stale or replayed)`,
    };
  const expected = digest(secret, id, ts, body);
  const matches = sig.split(' ').some((part) => {
    if (!part.startsWith('v1,')) return false;
    const b64 = part.slice(3);
    if (!BASE64.test(b64)) return false;
    const given = Buffer.from(b64, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches
    ? { ok: true, id, timestamp: new Date(at) }
    : { ok: false, reason: 'the signature does not match' };
}
