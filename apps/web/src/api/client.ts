/**
 * The only way the app talks to Tradelane: the public HTTP API through a client generated from the
 * committed OpenAPI document (schema.ts, by openapi-typescript; `npm run web:client` regenerates it and
 * the test command fails when it drifts). Browser sessions are the httpOnly cookie set by
 * POST /auth/login {cookie: true}; every change carries the CSRF token from the readable cookie.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

const CSRF_COOKIE = 'tl_csrf';

function csrfToken(): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${CSRF_COOKIE}=`))
    ?.slice(CSRF_COOKIE.length + 1);
}

/** An answer that is not 2xx: its status and the API's message (Nest errors or RFC 9457 problem details). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
  }
}

const listeners = new Set<(status: number) => void>();
/** Called on every 401 (the session ended): the app goes back to the log-in page. */
export function onUnauthorized(fn: (status: number) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const session: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = csrfToken();
      if (token) request.headers.set('x-csrf-token', token);
    }
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/auth/login'))
      for (const fn of listeners) fn(401);
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(session);

function messageOf(body: unknown, status: number): string {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; detail?: unknown; title?: unknown };
    const m = b.detail ?? b.message ?? b.title;
    if (Array.isArray(m)) return m.join('; ');
    if (typeof m === 'string') return m;
  }
  return `HTTP ${status}`;
}

/** The data of an answer, or an ApiError with the API's own message. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, messageOf(error, response.status), error);
  return data as T;
}
