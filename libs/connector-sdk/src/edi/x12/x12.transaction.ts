import { X12Problem, X12TransactionSet } from './x12.envelope';
import { elementError, X12_SEGMENTS, X12ElementType } from './x12.segments';
import { X12Delimiters, X12Segment } from './x12.tokenizer';

/**
 * A loop of a transaction set, as data: the segment that starts it (absent for the set's body),
 * the segments it holds and the loops nested in it. `HL` loops are kept flat in order; a mapper
 * rebuilds the hierarchy from HL01/HL02.
 */
export interface X12LoopSpec {
  id: string;
  start?: string;
  segments: readonly string[];
  loops?: readonly X12LoopSpec[];
}

export interface X12SetSpec {
  /** ST01. */
  type: string;
  name: string;
  body: X12LoopSpec;
}

export interface X12Positioned extends X12Segment {
  /** Position in the transaction set (ST is 1): what AK3-02 reports. */
  position: number;
}

/** One occurrence of a loop: its segments in order and its nested loops. */
export class X12Loop {
  readonly segments: X12Positioned[] = [];
  readonly children: X12Loop[] = [];

  constructor(
    readonly id: string,
    private readonly delimiters: X12Delimiters,
  ) {}

  first(
    tag: string,
    qualifier?: { element: number; is: string | readonly string[] },
  ): X12Positioned | undefined {
    return this.all(tag, qualifier)[0];
  }

  all(tag: string, qualifier?: { element: number; is: string | readonly string[] }): X12Positioned[] {
    return this.segments.filter(
      (s) =>
        s.tag === tag &&
        (!qualifier ||
          (typeof qualifier.is === 'string'
            ? value(s, qualifier.element) === qualifier.is
            : qualifier.is.includes(value(s, qualifier.element) ?? ''))),
    );
  }

  loops(id: string): X12Loop[] {
    return this.children.filter((c) => c.id === id);
  }

  /** Trimmed element `n` of the first `tag` segment, undefined when absent or empty. */
  value(tag: string, n: number): string | undefined {
    const s = this.first(tag);
    return s ? value(s, n) : undefined;
  }

  /** The components of a composite element (split on ISA16). */
  components(s: X12Segment, n: number): string[] {
    return (s.elements[n] ?? '').split(this.delimiters.component).map((c) => c.trim());
  }
}

/** Trimmed element `n` of a segment, undefined when absent or empty. */
export function value(s: X12Segment | undefined, n: number): string | undefined {
  const v = s?.elements[n]?.trim();
  return v ? v : undefined;
}

function specOf(spec: X12LoopSpec, tag: string): 'member' | X12LoopSpec | undefined {
  const child = spec.loops?.find((l) => l.start === tag);
  if (child) return child;
  return spec.segments.includes(tag) ? 'member' : undefined;
}

const TERMINATOR_LIKE = /([~'\\$|\u2026])([A-Z][A-Z0-9]{1,2})$/;

/**
 * Element checks of one segment against the dictionary: mandatory elements, dates, times,
 * numbers, and a value that ends in what looks like another segment (a sender mixing
 * terminators: `…ABCINC~N3`).
 */
function checkElements(seg: X12Positioned, delimiters: X12Delimiters, problems: X12Problem[]): void {
  const dict = X12_SEGMENTS[seg.tag] ?? {};
  const add = (position: number, code: string, message: string, v?: string) =>
    problems.push({
      level: 'element',
      severity: 'error',
      code,
      message: `${seg.tag}${String(position).padStart(2, '0')} (segment ${seg.position}): ${message}`,
      segment: { tag: seg.tag, position: seg.position },
      element: { position, ...(v !== undefined ? { value: v.slice(0, 99) } : {}) },
    });
  for (const [k, spec] of Object.entries(dict)) {
    const n = Number(k);
    const v = seg.elements[n]?.trim() ?? '';
    const type = spec.replace('!', '') as X12ElementType;
    if (!v) {
      if (spec.endsWith('!')) add(n, '1', 'mandatory element is missing');
      continue;
    }
    const err = elementError(type, v);
    if (err) add(n, err.code, err.why, v);
  }
  for (let n = 1; n < seg.elements.length; n++) {
    const m = TERMINATOR_LIKE.exec(seg.elements[n]);
    if (m && m[1] !== delimiters.segment && X12_SEGMENTS[m[2]])
      add(
        n,
        '6',
        `"${seg.elements[n]}" ends in "${m[1]}${m[2]}": a second segment terminator "${m[1]}" where the ISA declares "${delimiters.segment === '\n' ? 'a line break' : delimiters.segment}"`,
        seg.elements[n],
      );
  }
}

/**
 * Reads one transaction set into its loops by `spec`, checking every element the dictionary types.
 * Segments the spec does not place are kept in the innermost open loop (partners add segments;
 * they are not an error). Returns the element problems; the set is rejected when there is one.
 */
export function readTransactionSet(
  set: X12TransactionSet,
  spec: X12SetSpec,
  delimiters: X12Delimiters,
): { body: X12Loop; problems: X12Problem[] } {
  const body = new X12Loop(spec.body.id, delimiters);
  const stack: { spec: X12LoopSpec; loop: X12Loop }[] = [{ spec: spec.body, loop: body }];
  const problems: X12Problem[] = [];
  set.segments.forEach((s, i) => {
    const seg: X12Positioned = { ...s, position: i + 1 };
    checkElements(seg, delimiters, problems);
    if (seg.tag === 'ST' || seg.tag === 'SE') return;
    for (let depth = stack.length - 1; depth >= 0; depth--) {
      const found = specOf(stack[depth].spec, seg.tag);
      if (!found) continue;
      stack.length = depth + 1;
      if (found === 'member') stack[depth].loop.segments.push(seg);
      else {
        const loop = new X12Loop(found.id, delimiters);
        loop.segments.push(seg);
        stack[depth].loop.children.push(loop);
        stack.push({ spec: found, loop });
      }
      return;
    }
    stack[stack.length - 1].loop.segments.push(seg);
  });
  return { body, problems };
}
