import { decodeUtf8, NotUtf8Error } from '../../utf8';

/**
 * UN/EDIFACT (ISO 9735, syntax versions 1–4) reading that survives what partners really send.
 *
 * Why not node-edifact's tokenizer for this part: it refuses a UNA whose sixth service character is
 * the version-4 repetition separator (`UNA:+.?*'`, it expects a space), throws on the first
 * character outside the declared repertoire (a UNOA interchange carrying UTF-8 names is common),
 * and gives no byte offsets; there is nothing else of it we need (it writes nothing). node-edifact
 * still reads our CONTRLs in the tests as a cross-check, and is the bench's baseline.
 */
export interface EdifactDelimiters {
  component: string;
  element: string;
  decimal: string;
  /** Undefined when the UNA leaves it blank (no release character). */
  release?: string;
  /** Syntax version 4's repetition separator; undefined in versions 1–3 (a space in the UNA). */
  repetition?: string;
  segment: string;
}

/** Segments as read: `elements[i]` are the components of element i (`elements[0]` = [tag]). */
export interface EdifactSegment {
  tag: string;
  elements: string[][];
  /** Index of its first character in the decoded text. */
  offset: number;
}

export class EdifactSyntaxError extends Error {
  constructor(
    message: string,
    readonly byteOffset: number,
  ) {
    super(`${message} (byte ${byteOffset})`);
    this.name = 'EdifactSyntaxError';
  }
}

export const DEFAULT_DELIMITERS: EdifactDelimiters = {
  component: ':',
  element: '+',
  decimal: '.',
  release: '?',
  segment: "'",
};

/** The syntax identifiers (UNB 0001) and the character set their bytes are in. */
export const SYNTAX_CHARSETS: Readonly<Record<string, 'ascii' | 'latin1' | 'utf8'>> = {
  UNOA: 'ascii',
  UNOB: 'ascii',
  UNOC: 'latin1',
  UNOD: 'latin1',
  UNOE: 'latin1',
  UNOF: 'latin1',
  UNOW: 'utf8',
  UNOY: 'utf8',
};

/**
 * Bytes to text by the UNB syntax identifier (read from the bytes first: ASCII-compatible). UNOW
 * / UNOY must be UTF-8 (else the offset of the first bad byte); UNOA/UNOB/UNOC…: bytes that are
 * valid UTF-8 with multi-byte sequences are read as UTF-8 (a sender that declares UNOC and writes
 * UTF-8 is common), otherwise as ISO-8859-1. `note` says when the declaration and the bytes differ.
 */
export function decodeEdifact(body: Buffer): { text: string; syntax?: string; note?: string } {
  const head = body.subarray(0, 600).toString('latin1');
  const syntax = /UNB.(UN[O][A-Z])/.exec(head)?.[1];
  const charset = syntax ? SYNTAX_CHARSETS[syntax] : undefined;
  let utf8: string | undefined;
  try {
    utf8 = decodeUtf8(body);
  } catch (e) {
    if (!(e instanceof NotUtf8Error)) throw e;
    if (charset === 'utf8')
      throw new EdifactSyntaxError(`the interchange declares ${syntax} but ${e.message}`, e.offset);
  }
  // Valid UTF-8 with any non-ASCII byte is UTF-8 (ISO-8859-1 text is almost never valid UTF-8).
  const multibyte = utf8 !== undefined && Buffer.byteLength(utf8, 'utf8') !== utf8.length;
  if (utf8 !== undefined && (charset === 'utf8' || multibyte)) {
    const note =
      charset !== 'utf8' && multibyte
        ? `declares ${syntax ?? 'no syntax identifier'} but holds UTF-8 text: read as UTF-8`
        : undefined;
    return { text: utf8, ...(syntax ? { syntax } : {}), ...(note ? { note } : {}) };
  }
  const text = body.toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '');
  const high = /[\u0080-\u00ff]/.test(text);
  return {
    text,
    ...(syntax ? { syntax } : {}),
    ...(high && charset === 'ascii'
      ? { note: `declares ${syntax} (ASCII) but holds ISO-8859-1 characters` }
      : {}),
  };
}

/**
 * Every segment of an interchange text. A UNA gives the delimiters (a blank repetition position is
 * version 1–3: none); line breaks between segments are skipped, a release character makes the next
 * character literal (before a character that is no delimiter it is dropped: `006?415160` is
 * 006415160, as the sender meant).
 */
export function tokenizeEdifact(
  raw: string,
  byteOffset: (index: number) => number = (i) => i,
): { delimiters: EdifactDelimiters; segments: EdifactSegment[] } {
  const text = raw.replace(/^\uFEFF/, '');
  let i = /^\s*/.exec(text)?.[0].length ?? 0;
  let d = DEFAULT_DELIMITERS;
  if (text.startsWith('UNA', i)) {
    const s = text.slice(i + 3, i + 9);
    if (s.length < 6)
      throw new EdifactSyntaxError('the UNA service string advice is cut short', byteOffset(i));
    d = {
      component: s[0],
      element: s[1],
      decimal: s[2],
      ...(s[3] !== ' ' ? { release: s[3] } : {}),
      ...(s[4] !== ' ' ? { repetition: s[4] } : {}),
      segment: s[5],
    };
    const set = [d.component, d.element, d.release, d.repetition, d.segment].filter(Boolean);
    if (new Set(set).size !== set.length)
      throw new EdifactSyntaxError(`the UNA declares one character twice ("${s}")`, byteOffset(i));
    i += 9;
  }
  const segments: EdifactSegment[] = [];
  let elements: string[][] = [];
  let components: string[] = [];
  let value = '';
  let start = -1;
  const endSegment = () => {
    components.push(value);
    elements.push(components);
    const tag = (elements[0]?.[0] ?? '').trim();
    if (tag || elements.length > 1)
      segments.push({ tag, elements: [[tag], ...elements.slice(1)], offset: start });
    elements = [];
    components = [];
    value = '';
    start = -1;
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (start < 0) {
      if (c === '\r' || c === '\n' || c === ' ' || c === '\t') continue;
      start = i;
    }
    if (c === d.release) {
      const next = text[i + 1];
      if (next === undefined) break;
      value += next;
      i++;
    } else if (c === d.segment) endSegment();
    else if (c === d.element) {
      components.push(value);
      elements.push(components);
      components = [];
      value = '';
    } else if (c === d.component) {
      components.push(value);
      value = '';
    } else if ((c === '\r' || c === '\n') && d.segment !== '\n')
      continue; // wrapping, never data
    else value += c;
  }
  if (start >= 0 && (value.trim() || elements.length || components.length)) endSegment();
  return { delimiters: d, segments };
}
