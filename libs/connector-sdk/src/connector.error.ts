/**
 * The one error a connector throws. Every provider failure (HTTP status, socket error, bad payload,
 * rejected credentials, a record changed at the source since it was read: `conflict`) becomes one of six kinds, and the runtime maps the kind in one place:
 * retry later, dead-letter with the reason, or mark the instance as needing attention.
 */
export const CONNECTOR_ERROR_KINDS = [
  'retryable',
  'permanent',
  'auth',
  'config',
  'rate-limited',
  'conflict',
] as const;
export type ConnectorErrorKind = (typeof CONNECTOR_ERROR_KINDS)[number];

export interface ConnectorErrorOptions {
  /** Field, segment or element the error is about (`payload.orderId`, `ISA06`, `E1EDK01/BELNR`). */
  field?: string;
  /** For `rate-limited` (and `retryable` when the partner says so): when to try again. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly field?: string;
  readonly retryAfterMs?: number;

  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    options: ConnectorErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ConnectorError';
    this.field = options.field;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** Coded for the messaging layer (`CONNECTOR_AUTH`...), which honours `code` and `disposition`. */
  get code(): string {
    return `CONNECTOR_${this.kind.toUpperCase().replace('-', '_')}`;
  }

  /** Retry later, or dead-letter with the reason (auth and config also mark the instance as failing). */
  get disposition(): 'retry' | 'dead-letter' {
    return this.kind === 'retryable' || this.kind === 'rate-limited' ? 'retry' : 'dead-letter';
  }

  /** The instance cannot work until a person acts (new credentials, fixed configuration). */
  get needsAttention(): boolean {
    return this.kind === 'auth' || this.kind === 'config';
  }

  /**
   * Classifies anything a provider client threw: a ConnectorError as is; an HTTP response by
   * status (401/403 auth, 408/425/5xx retryable, 429 rate-limited with Retry-After, other 4xx
   * permanent); a network error (ECONNRESET, ETIMEDOUT...) retryable; anything else permanent.
   */
  static from(err: unknown, context = 'provider call'): ConnectorError {
    if (err instanceof ConnectorError) return err;
    const e = err as {
      message?: string;
      code?: string;
      status?: number;
      response?: { status?: number; headers?: Record<string, unknown> };
    } | null;
    const status = e?.response?.status ?? e?.status;
    const message = `${context}: ${e?.message ?? String(err)}`;
    if (typeof status === 'number') {
      if (status === 401 || status === 403) return new ConnectorError('auth', message, { cause: err });
      if (status === 429)
        return new ConnectorError('rate-limited', message, {
          cause: err,
          retryAfterMs: retryAfterMs(e?.response?.headers?.['retry-after']),
        });
      if (status === 408 || status === 425 || status >= 500)
        return new ConnectorError('retryable', message, { cause: err });
      if (status >= 400) return new ConnectorError('permanent', message, { cause: err });
    }
    if (typeof e?.code === 'string' && NETWORK_CODES.has(e.code))
      return new ConnectorError('retryable', message, { cause: err });
    return new ConnectorError('permanent', message, { cause: err });
  }
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EPIPE',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** Retry-After is seconds or an HTTP date; unreadable = unknown. */
function retryAfterMs(header: unknown): number | undefined {
  if (typeof header !== 'string' && typeof header !== 'number') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(String(header));
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
