import { INVALID_MESSAGE } from '@tradelane/contracts';

/** What the messaging layer does with a message whose handling failed. */
export type Disposition = 'retry' | 'dead-letter';

export interface FailureReason {
  code: string;
  message: string;
  /** Field (or segment, column...) the failure is about, when known. */
  field?: string | null;
}

/**
 * Base for coded errors. Anything thrown by a handler that carries `code` and `disposition` (this
 * class, the connector SDK's ConnectorError...) is honoured; anything else is treated as transient
 * (`HANDLER_ERROR`, retried, then dead-lettered with its message).
 */
export class MessagingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly disposition: Disposition,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Worth another attempt later (a partner API timed out, a lock could not be taken...). */
export class TransientError extends MessagingError {
  constructor(message: string, code = 'TRANSIENT', field?: string) {
    super(code, message, 'retry', field);
  }
}

/** Will fail the same way every time: dead-letter at once, with the reason. */
export class PermanentError extends MessagingError {
  constructor(message: string, code = 'PERMANENT', field?: string) {
    super(code, message, 'dead-letter', field);
  }
}

export interface Classified extends FailureReason {
  disposition: Disposition;
}

const MAX_MESSAGE = 2000;

export function classifyError(err: unknown): Classified {
  const e = err as { code?: unknown; disposition?: unknown; field?: unknown; message?: unknown } | null;
  const message = String(e?.message ?? err).slice(0, MAX_MESSAGE);
  const field = typeof e?.field === 'string' ? e.field : null;
  if (e && typeof e.code === 'string' && (e.disposition === 'retry' || e.disposition === 'dead-letter')) {
    return { code: e.code, message, field, disposition: e.disposition };
  }
  if (e && e.code === INVALID_MESSAGE)
    return { code: INVALID_MESSAGE, message, field, disposition: 'dead-letter' };
  return { code: 'HANDLER_ERROR', message, field, disposition: 'retry' };
}
