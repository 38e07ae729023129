import { parse, serialize } from 'cookie';
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The session cookie (httpOnly: page scripts cannot read it). */
export const SESSION_COOKIE = 'tl_session';
/** The CSRF cookie (readable by the page, which sends it back as X-CSRF-Token on every change). */
export const CSRF_COOKIE = 'tl_csrf';
export const CSRF_HEADER = 'x-csrf-token';

interface Req {
  headers: Record<string, string | string[] | undefined>;
  protocol?: string;
  secure?: boolean;
}
interface Res {
  append(name: string, value: string): void;
}

export function cookiesOf(req: Req): Record<string, string | undefined> {
  const raw = req.headers.cookie;
  return typeof raw === 'string' ? parse(raw) : {};
}

/**
 * Sets the cookies of a browser session after a log-in (a new token and a new CSRF secret each
 * time: a session id is never carried over a log-in). Secure unless the request came over plain
 * HTTP (the embedded trial on 127.0.0.1); SameSite=Lax, so another site's form posts carry neither.
 */
export function setSessionCookies(req: Req, res: Res, token: string, expiresAt: Date): string {
  const csrf = randomBytes(24).toString('base64url');
  const secure = !!req.secure || req.protocol === 'https';
  const common = { path: '/', sameSite: 'lax' as const, secure, expires: expiresAt };
  res.append('Set-Cookie', serialize(SESSION_COOKIE, token, { ...common, httpOnly: true }));
  res.append('Set-Cookie', serialize(CSRF_COOKIE, csrf, { ...common, httpOnly: false }));
  return csrf;
}

export function clearSessionCookies(res: Res): void {
  for (const name of [SESSION_COOKIE, CSRF_COOKIE])
    res.append('Set-Cookie', serialize(name, '', { path: '/', expires: new Date(0), sameSite: 'lax' }));
}

/** Double-submit check: the header equals the CSRF cookie (constant time). */
export function csrfOk(req: Req): boolean {
  const cookie = cookiesOf(req)[CSRF_COOKIE];
  const header = req.headers[CSRF_HEADER];
  if (!cookie || typeof header !== 'string' || header.length !== cookie.length) return false;
  return timingSafeEqual(Buffer.from(header), Buffer.from(cookie));
}
