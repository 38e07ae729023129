/**
 * X12 segments out of text, tolerant of what real partners send.
 *
 * Why not node-x12's parser for this part: it reads the delimiters at the fixed ISA offsets (3, 104,
 * 105) and refuses or misreads an ISA that is not exactly 106 characters (unpadded fields, a line
 * break inside the ISA), keeps line breaks inside element values when a file is hard-wrapped, and
 * knows neither a BOM nor byte offsets for an error message. This tokenizer finds the delimiters by
 * counting the ISA's 16 elements, then splits; node-x12 still writes every interchange we send
 * (`x12.writer.ts`) and the tests and the bench run it over the same files.
 */
export interface X12Delimiters {
  element: string;
  component: string;
  /** ISA11 in 5010 and later (`^`, `|`); absent when ISA11 is the 4010 standards id `U`. */
  repetition?: string;
  /** One character, or `\n` for "a line break" (CRLF, LF or CR). */
  segment: string;
}

export interface X12Segment {
  tag: string;
  /** `elements[1]` is the segment's first element (`ST01`); `elements[0]` is the tag. */
  elements: string[];
  /** Index of the segment's first character in the text (for byte offsets in errors). */
  offset: number;
}

/** A file whose envelope cannot be read at all: dead-lettered whole, with the byte offset. */
export class X12SyntaxError extends Error {
  constructor(
    message: string,
    /** Byte offset in the file (after decoding, counted in UTF-8 bytes, BOM included). */
    readonly byteOffset: number,
  ) {
    super(`${message} (byte ${byteOffset})`);
    this.name = 'X12SyntaxError';
  }
}

const ISA_ELEMENTS = 16;

/** Byte offset of a character index: UTF-8 length of what comes before it (+3 for a skipped BOM). */
export function byteOffsetOf(text: string, index: number, bom: boolean): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8') + (bom ? 3 : 0);
}

/**
 * The delimiters the ISA at `start` declares, and where the ISA ends (index after its terminator).
 * The element separator is the character after `ISA`; ISA16 (one character) is the component
 * separator; what follows it is the segment terminator: a line break means "one segment per line".
 * Line breaks inside the ISA (a file wrapped at a fixed width) are skipped.
 */
export function detectDelimiters(
  text: string,
  start: number,
): { delimiters: X12Delimiters; isa: X12Segment; end: number } | { incomplete: true } | { error: string } {
  if (text.length - start < 4) return { incomplete: true };
  if (text.slice(start, start + 3) !== 'ISA') return { error: 'the interchange does not start with ISA' };
  const element = text[start + 3];
  if (/[A-Za-z0-9\s]/.test(element))
    return { error: `"${element}" after ISA cannot be an element separator` };
  const values: string[] = ['ISA'];
  let current = '';
  let i = start + 4;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\r' || c === '\n') continue; // wrapped inside the ISA
    if (values.length === ISA_ELEMENTS) {
      // ISA16: exactly one character, the component separator.
      values.push(c);
      i++;
      break;
    }
    if (c === element) {
      values.push(current);
      current = '';
    } else current += c;
    if (i - start > 400) return { error: 'the ISA segment does not end within 400 characters' };
  }
  if (values.length <= ISA_ELEMENTS) return { incomplete: true };
  if (i >= text.length) return { incomplete: true };
  const component = values[ISA_ELEMENTS];
  let segment = text[i];
  let end = i + 1;
  if (segment === '\r' || segment === '\n') {
    if (segment === '\r' && text[i + 1] === '\n') end++;
    segment = '\n';
  }
  if (segment === element || segment === component)
    return { error: `the ISA declares "${segment}" both as segment terminator and as a separator` };
  const isa11 = values[11];
  const repetition =
    isa11.length === 1 && !/[A-Za-z0-9 ]/.test(isa11) && isa11 !== element && isa11 !== component
      ? isa11
      : undefined;
  return {
    delimiters: { element, component, segment, ...(repetition ? { repetition } : {}) },
    isa: { tag: 'ISA', elements: values, offset: start },
    end,
  };
}

/**
 * Incremental: `push` text as it arrives (a stream of a 100 MB file), take the complete segments
 * it returns, `end()` for the last one. Whitespace between segments (blank lines, the fixed-record
 * padding after IEA) is skipped; when the terminator is not a line break, line breaks are wrapping
 * and never data.
 */
export class X12Tokenizer {
  private buffer = '';
  /** Index in the whole text of `buffer[0]`. */
  private base = 0;
  private found?: X12Delimiters;
  private started = false;

  /** `byteOffset` turns a character index into the byte offset errors name (default: the index). */
  constructor(private readonly byteOffset: (index: number) => number = (i) => i) {}

  get delimiters(): X12Delimiters | undefined {
    return this.found;
  }

  push(text: string): X12Segment[] {
    this.buffer += text;
    return this.drain(false);
  }

  end(): X12Segment[] {
    return this.drain(true);
  }

  private drain(final: boolean): X12Segment[] {
    const out: X12Segment[] = [];
    if (!this.found) {
      const lead = /^[\s\uFEFF]*/.exec(this.buffer)?.[0].length ?? 0;
      if (!this.started && lead === this.buffer.length && !final) return out;
      const d = detectDelimiters(this.buffer, lead);
      if ('incomplete' in d) {
        if (!final) return out;
        throw new X12SyntaxError(
          this.buffer.trim()
            ? 'the file ends inside the ISA segment: no complete interchange header'
            : 'the file is empty',
          this.byteOffset(this.base + lead),
        );
      }
      if ('error' in d) throw new X12SyntaxError(d.error, this.byteOffset(this.base + lead));
      this.found = d.delimiters;
      this.started = true;
      out.push({ ...d.isa, offset: this.base + lead });
      this.consume(d.end);
    }
    const d = this.found;
    const text = this.buffer;
    let pos = 0;
    for (;;) {
      let at: number;
      let len = 1;
      if (d.segment === '\n') {
        const cr = text.indexOf('\r', pos);
        const lf = text.indexOf('\n', pos);
        at = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
        if (at >= 0 && text[at] === '\r') {
          // A CR at the very end may be the first half of a CRLF still to come.
          if (at + 1 === text.length && !final) break;
          if (text[at + 1] === '\n') len = 2;
        }
      } else at = text.indexOf(d.segment, pos);
      if (at < 0) break;
      this.emit(text.slice(pos, at), this.base + pos, out);
      pos = at + len;
    }
    if (final && pos < text.length) {
      this.emit(text.slice(pos), this.base + pos, out);
      pos = text.length;
    }
    this.consume(pos);
    return out;
  }

  private consume(n: number): void {
    this.buffer = this.buffer.slice(n);
    this.base += n;
  }

  private emit(raw: string, base: number, out: X12Segment[]): void {
    const d = this.found as X12Delimiters;
    const lead = /^\s*/.exec(raw)?.[0].length ?? 0;
    let body = raw.slice(lead);
    if (d.segment !== '\n') body = body.replace(/[\r\n]/g, '');
    if (!body.trim()) return;
    const elements = body.split(d.element);
    elements[0] = elements[0].trim();
    out.push({ tag: elements[0], elements, offset: base + lead });
  }
}

/** Every segment of a whole text (BOM and leading whitespace skipped). */
export function tokenizeX12(text: string): { delimiters: X12Delimiters; segments: X12Segment[] } {
  const t = new X12Tokenizer((i) => byteOffsetOf(text, i, false));
  const segments = [...t.push(text), ...t.end()];
  return { delimiters: t.delimiters as X12Delimiters, segments };
}
