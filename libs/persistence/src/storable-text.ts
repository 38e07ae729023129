import { UNSTORABLE_TEXT } from '@tradelane/contracts';

const UNSTORABLE = new RegExp(UNSTORABLE_TEXT.source, 'g');

/**
 * Text PostgreSQL can store: no NUL character (text and jsonb refuse it) and no lone UTF-16
 * surrogate (jsonb refuses its escape, and it is not a character). Each is replaced by U+FFFD, so
 * the store of last resort takes whatever a partner sent; the exact bytes are kept in `body`.
 */
export function storableText(s: string): string;
export function storableText(s: string | null | undefined): string | null;
export function storableText(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  return s.replace(UNSTORABLE, '\uFFFD');
}
