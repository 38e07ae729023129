import { INVALID_MESSAGE } from '@tradelane/contracts';
import { sqlState } from '@tradelane/persistence';

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

/**
 * PostgreSQL refusing a value (SQLSTATE class 22, data exception: numeric overflow, invalid date;
 * 23502/23514, a NOT NULL or CHECK constraint) fails the same way every time: a permanent
 * INVALID_MESSAGE at once, naming the column where PostgreSQL says it, instead of four retries over
 * minutes. Unique and foreign-key violations (23505, 23503) stay retryable: they can be races.
 */
function refusedByDatabase(err: unknown): Classified | undefined {
  const e = err as { driverError?: { column?: unknown }; column?: unknown; message?: unknown };
  const code = sqlState(err);
  if (!code.startsWith('22') && code !== '23502' && code !== '23514') return undefined;
  const column = (e.column ?? e.driverError?.column) as string | undefined;
  const field = column ? `payload.${column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())}` : null;
  return {
    code: INVALID_MESSAGE,
    message: `the database refused a value${column ? ` of ${column}` : ''} (SQLSTATE ${code}): ${String(e.message ?? '').slice(0, 500)}`,
    field,
    disposition: 'dead-letter',
  };
}

export function classifyError(err: unknown): Classified {
  const e = err as { code?: unknown; disposition?: unknown; field?: unknown; message?: unknown } | null;
  const message = String(e?.message ?? err).slice(0, MAX_MESSAGE);
  const field = typeof e?.field === 'string' ? e.field : null;
  if (e && typeof e.code === 'string' && (e.disposition === 'retry' || e.disposition === 'dead-letter')) {
    return { code: e.code, message, field, disposition: e.disposition };
  }
  if (e && e.code === INVALID_MESSAGE)
    return { code: INVALID_MESSAGE, message, field, disposition: 'dead-letter' };
  const refused = refusedByDatabase(err);
  if (refused) return refused;
  return { code: 'HANDLER_ERROR', message, field, disposition: 'retry' };
}
