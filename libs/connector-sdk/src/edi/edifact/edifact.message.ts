import { DateTime } from 'luxon';
import { EdifactMessage, EdifactProblem } from './edifact.envelope';
import { EdifactSegment } from './edifact.reader';

/** A segment group of a message, as data: the segment that starts it, its members, nested groups. */
export interface EdifactGroupSpec {
  id: string;
  start?: string;
  segments: readonly string[];
  groups?: readonly EdifactGroupSpec[];
}

export interface EdifactMessageSpec {
  /** UNH 0065, e.g. IFTSTA. */
  type: string;
  name: string;
  body: EdifactGroupSpec;
}

export interface EdifactPositioned extends EdifactSegment {
  /** Position in the message (UNH is 1): what a CONTRL UCS reports. */
  position: number;
}

const val = (s: EdifactSegment | undefined, e: number, c = 0): string | undefined => {
  const x = s?.elements[e]?.[c]?.trim();
  return x ? x : undefined;
};

/** One occurrence of a segment group: its segments in order and its nested groups. */
export class EdifactLoop {
  readonly segments: EdifactPositioned[] = [];
  readonly children: EdifactLoop[] = [];

  constructor(readonly id: string) {}

  all(tag: string, qualifier?: string | readonly string[]): EdifactPositioned[] {
    return this.segments.filter(
      (s) =>
        s.tag === tag &&
        (qualifier === undefined ||
          (typeof qualifier === 'string' ? val(s, 1) === qualifier : qualifier.includes(val(s, 1) ?? ''))),
    );
  }

  /** The first `tag` segment whose first element's first component is `qualifier` (when given). */
  first(tag: string, qualifier?: string | readonly string[]): EdifactPositioned | undefined {
    return this.all(tag, qualifier)[0];
  }

  /** The first `tag` segment whose element 1 component 0 qualifier matches, read at (element, component). */
  value(
    tag: string,
    element: number,
    component = 0,
    qualifier?: string | readonly string[],
  ): string | undefined {
    return val(this.first(tag, qualifier), element, component);
  }

  groups(id: string): EdifactLoop[] {
    return this.children.filter((c) => c.id === id);
  }

  /** Every group `id` at any depth below this one, in order. */
  deep(id: string): EdifactLoop[] {
    return this.children.flatMap((c) => [...(c.id === id ? [c] : []), ...c.deep(id)]);
  }
}

/** Element `e`, component `c` of a segment, trimmed; undefined when absent or empty. */
export const edifactValue = val;

/** A decimal in either notation (the UNA decimal mark may be a comma). */
export function edifactNumber(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v.replace(',', '.'));
  return Number.isFinite(n) ? n : undefined;
}

/** DTM date/time format qualifiers (data element 2379) this reader understands, as luxon formats. */
const DATE_FORMATS: Readonly<Record<string, string>> = {
  '101': 'yyMMdd',
  '102': 'yyyyMMdd',
  '201': 'yyMMddHHmm',
  '203': 'yyyyMMddHHmm',
  '204': 'yyyyMMddHHmmss',
  '205': 'yyyyMMddHHmmZZZ',
};

/**
 * A DTM (C507: qualifier, value, format) as ISO 8601 in UTC: the zone is the partner's unless the
 * format carries one (205). Undefined when the segment is absent; an error text when the value
 * does not fit its format (the caller names the segment and element).
 */
export function edifactDate(s: EdifactSegment | undefined, zone: string): { iso?: string; error?: string } {
  const raw = val(s, 1, 1);
  if (!s || !raw) return {};
  const format = val(s, 1, 2) ?? (raw.length === 8 ? '102' : raw.length === 12 ? '203' : undefined);
  const pattern = format ? DATE_FORMATS[format] : undefined;
  if (!pattern)
    return {
      error: `date "${raw}" with format ${format ?? '(none)'} is not one this reader knows (101, 102, 201, 203, 204, 205)`,
    };
  const value = format === '205' ? raw.replace(/([+-]\d{2})(\d{2})$/, '$1$2') : raw;
  const dt = DateTime.fromFormat(value, pattern, { zone });
  if (!dt.isValid) return { error: `"${raw}" is not a valid date for format ${format} (${pattern})` };
  return { iso: dt.toUTC().toISO() as string };
}

function specOf(spec: EdifactGroupSpec, tag: string): 'member' | EdifactGroupSpec | undefined {
  const child = spec.groups?.find((g) => g.start === tag);
  if (child) return child;
  return spec.segments.includes(tag) ? 'member' : undefined;
}

/**
 * Reads one message into its segment groups by `spec` and checks its dates (DTM against its format
 * qualifier) and numbers (QTY, MOA, PRI, MEA). Segments the spec does not place stay in the
 * innermost open group (partners add segments: not an error).
 */
export function readMessage(
  message: EdifactMessage,
  spec: EdifactMessageSpec,
  zone: string,
): { body: EdifactLoop; problems: EdifactProblem[] } {
  const body = new EdifactLoop(spec.body.id);
  const stack: { spec: EdifactGroupSpec; loop: EdifactLoop }[] = [{ spec: spec.body, loop: body }];
  const problems: EdifactProblem[] = [];
  const bad = (seg: EdifactPositioned, element: number, component: number, text: string, value?: string) =>
    problems.push({
      level: 'element',
      severity: 'error',
      code: '12',
      message: `${seg.tag} element ${element}${component ? ` component ${component + 1}` : ''} (segment ${seg.position}): ${text}`,
      segment: { tag: seg.tag, position: seg.position },
      element: { position: element, component: component + 1, ...(value !== undefined ? { value } : {}) },
    });
  message.segments.forEach((s, i) => {
    const seg: EdifactPositioned = { ...s, position: i + 1 };
    if (seg.tag === 'DTM') {
      const d = edifactDate(seg, zone);
      if (d.error) bad(seg, 1, 1, d.error, val(seg, 1, 1));
    }
    for (const [tag, component] of [
      ['QTY', 1],
      ['MOA', 1],
      ['PRI', 1],
    ] as const)
      if (seg.tag === tag) {
        const x = val(seg, 1, component);
        if (x !== undefined && edifactNumber(x) === undefined)
          bad(seg, 1, component, `"${x}" is not a number`, x);
      }
    if (seg.tag === 'UNH' || seg.tag === 'UNT') return;
    for (let depth = stack.length - 1; depth >= 0; depth--) {
      const found = specOf(stack[depth].spec, seg.tag);
      if (!found) continue;
      stack.length = depth + 1;
      if (found === 'member') stack[depth].loop.segments.push(seg);
      else {
        const loop = new EdifactLoop(found.id);
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
