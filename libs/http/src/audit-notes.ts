import { AsyncLocalStorage } from 'node:async_hooks';

/** What a change looked like before and after, noted by the code that made it. */
export interface AuditNote {
  targetType?: string;
  targetId?: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

const notes = new AsyncLocalStorage<AuditNote[]>();

/**
 * Runs `fn` with a list that collects the notes of the changes made by the work it starts (the
 * audit interceptor runs every mutation's handler in it).
 */
export function withAuditNotes<T>(fn: (collected: AuditNote[]) => T): T {
  const collected: AuditNote[] = [];
  return notes.run(collected, () => fn(collected));
}

/**
 * Tells the audit log what a change changed (call where the old and new state are known: a
 * service setting an agreement, changing roles). Outside an audited request it does nothing.
 */
export function noteChange(note: AuditNote): void {
  notes.getStore()?.push(note);
}
