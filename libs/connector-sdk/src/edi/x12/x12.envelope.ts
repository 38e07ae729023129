import { byteOffsetOf, X12Delimiters, X12Segment, X12SyntaxError, X12Tokenizer } from './x12.tokenizer';

/**
 * What is wrong, at the level an acknowledgement reports it: `set` → AK5/IK5 code, `segment` →
 * AK3/IK3 code, `element` → AK4/IK4 code, `group` → AK9 code, `interchange` → TA1 code.
 * An `error` rejects its transaction set (or group); a `warning` accepts it with the error noted.
 */
export interface X12Problem {
  level: 'interchange' | 'group' | 'set' | 'segment' | 'element';
  severity: 'error' | 'warning';
  code: string;
  message: string;
  /** The segment, with its position in the transaction set (ST is 1). */
  segment?: { tag: string; position: number };
  element?: { position: number; component?: number; value?: string };
  /** A control count or number that disagrees, or a missing GE/IEA: what the partner's tolerance decides. */
  count?: true;
}

export interface X12TransactionSet {
  /** ST01, e.g. `214`. */
  type: string;
  /** ST02. */
  control: string;
  /** ST03 (5010 implementation convention), when given. */
  implementation?: string;
  /** ST … SE (SE absent when the trailer is missing); `segments[0]` is position 1. */
  segments: X12Segment[];
  problems: X12Problem[];
}

export interface X12Group {
  /** GS01, e.g. `QM`. */
  functionalId: string;
  sender: string;
  receiver: string;
  date: string;
  time: string;
  /** GS06. */
  control: string;
  /** GS08, e.g. `004010`. */
  version: string;
  sets: X12TransactionSet[];
  problems: X12Problem[];
}

export interface X12Party {
  qualifier: string;
  id: string;
}

export interface X12Interchange {
  sender: X12Party;
  receiver: X12Party;
  date: string;
  time: string;
  /** ISA13 as written (zero-padded, 9 digits). */
  control: string;
  /** ISA12, e.g. `00401`. */
  version: string;
  /** ISA15 is `T`. */
  test: boolean;
  groups: X12Group[];
  problems: X12Problem[];
  /** Byte offset of its ISA. */
  byteOffset: number;
}

export interface X12Document {
  delimiters: X12Delimiters;
  interchanges: X12Interchange[];
  /** Segments outside any interchange, and the like. */
  problems: X12Problem[];
}

export interface X12ReadOptions {
  /**
   * Control counts and numbers that disagree (SE01, SE02, GE01, GE02, IEA01, IEA02) or a missing
   * GE/IEA: `warn` accepts with the error noted in the acknowledgement (the default: many senders get
   * them wrong), `reject` rejects the transaction set or group. A missing SE always rejects its set:
   * without its trailer nobody can tell the set is complete.
   */
  controlCounts?: 'warn' | 'reject';
  /**
   * Streaming: called with each transaction set as it completes (SE read, or its trailer found
   * missing); its segments are then let go (the set keeps its type, control and problems, for the
   * acknowledgement). A 100 MB interchange is then held one set at a time.
   */
  onSet?: (set: X12TransactionSet, group: X12Group, interchange: X12Interchange) => void;
}

const trim = (v: string | undefined): string => (v ?? '').trim();
const sameNumber = (a: string, b: string): boolean =>
  trim(a) === trim(b) ||
  (/^\d+$/.test(trim(a)) && /^\d+$/.test(trim(b)) && BigInt(trim(a)) === BigInt(trim(b)));

/** Builds interchanges from segments and checks the envelopes (trailers, control counts, numbers). */
export class X12EnvelopeReader {
  readonly interchanges: X12Interchange[] = [];
  readonly problems: X12Problem[] = [];
  private interchange?: X12Interchange;
  private group?: X12Group;
  private set?: X12TransactionSet;
  private readonly severity: 'warning' | 'error';

  private readonly onSet?: X12ReadOptions['onSet'];

  constructor(
    options: X12ReadOptions = {},
    private readonly byteOffset: (index: number) => number = (i) => i,
  ) {
    this.severity = options.controlCounts === 'reject' ? 'error' : 'warning';
    this.onSet = options.onSet;
  }

  /** ST02s seen per group (a Set: a 100 MB group holds 100,000 sets). */
  private readonly controls = new WeakMap<X12Group, Set<string>>();
  private controlsOf(g: X12Group): Set<string> {
    let c = this.controls.get(g);
    if (!c) this.controls.set(g, (c = new Set()));
    return c;
  }

  /** Hands a completed set to `onSet` and lets its segments go. */
  private completed(set: X12TransactionSet): void {
    if (!this.onSet || !this.group || !this.interchange) return;
    this.onSet(set, this.group, this.interchange);
    set.segments = [];
  }

  add(seg: X12Segment): void {
    const e = seg.elements;
    switch (seg.tag) {
      case 'ISA':
        this.closeInterchange(`a new ISA at byte ${this.byteOffset(seg.offset)}`);
        this.interchange = {
          sender: { qualifier: trim(e[5]), id: trim(e[6]) },
          receiver: { qualifier: trim(e[7]), id: trim(e[8]) },
          date: trim(e[9]),
          time: trim(e[10]),
          control: trim(e[13]),
          version: trim(e[12]),
          test: trim(e[15]) === 'T',
          groups: [],
          problems: [],
          byteOffset: this.byteOffset(seg.offset),
        };
        this.interchanges.push(this.interchange);
        return;
      case 'GS': {
        const ic = this.requireInterchange(seg);
        this.closeGroup('a new GS');
        this.group = {
          functionalId: trim(e[1]),
          sender: trim(e[2]),
          receiver: trim(e[3]),
          date: trim(e[4]),
          time: trim(e[5]),
          control: trim(e[6]),
          version: trim(e[8]),
          sets: [],
          problems: [],
        };
        ic.groups.push(this.group);
        return;
      }
      case 'ST': {
        const g = this.requireGroup(seg);
        this.closeSet('a new ST');
        this.set = {
          type: trim(e[1]),
          control: trim(e[2]),
          ...(trim(e[3]) ? { implementation: trim(e[3]) } : {}),
          segments: [seg],
          problems: [],
        };
        if (!this.set.type)
          this.set.problems.push({
            level: 'set',
            severity: 'error',
            code: '6',
            message: 'ST01 (transaction set id) is empty',
          });
        if (!this.set.control)
          this.set.problems.push({
            level: 'set',
            severity: 'error',
            code: '7',
            message: 'ST02 (control number) is empty',
          });
        else if (this.controlsOf(g).has(this.set.control))
          this.set.problems.push({
            level: 'set',
            severity: 'error',
            code: '23',
            message: `ST02 ${this.set.control} is used twice in group ${g.control}`,
          });
        this.controlsOf(g).add(this.set.control);
        g.sets.push(this.set);
        return;
      }
      case 'SE': {
        const s = this.set;
        if (!s) {
          this.requireGroup(seg).problems.push({
            level: 'group',
            severity: 'warning',
            code: '3',
            message: `an SE at byte ${this.byteOffset(seg.offset)} without its ST`,
          });
          return;
        }
        s.segments.push(seg);
        const count = s.segments.length;
        if (!sameNumber(e[1], String(count)))
          s.problems.push({
            level: 'set',
            severity: this.severity,
            count: true,
            code: '4',
            message: `SE01 says ${trim(e[1]) || 'nothing'} segments, the transaction set has ${count}`,
          });
        if (!sameNumber(e[2], s.control))
          s.problems.push({
            level: 'set',
            severity: this.severity,
            count: true,
            code: '3',
            message: `SE02 ${trim(e[2]) || '(empty)'} does not match ST02 ${s.control}`,
          });
        this.set = undefined;
        this.completed(s);
        return;
      }
      case 'GE': {
        const g = this.requireGroup(seg);
        this.closeSet('GE');
        if (!sameNumber(e[1], String(g.sets.length)))
          g.problems.push({
            level: 'group',
            severity: this.severity,
            count: true,
            code: '5',
            message: `GE01 says ${trim(e[1]) || 'nothing'} transaction sets, the group has ${g.sets.length}`,
          });
        if (!sameNumber(e[2], g.control))
          g.problems.push({
            level: 'group',
            severity: this.severity,
            count: true,
            code: '4',
            message: `GE02 ${trim(e[2]) || '(empty)'} does not match GS06 ${g.control}`,
          });
        this.group = undefined;
        return;
      }
      case 'IEA': {
        const ic = this.requireInterchange(seg);
        this.closeGroup('IEA');
        if (!sameNumber(e[1], String(ic.groups.length)))
          ic.problems.push({
            level: 'interchange',
            severity: 'warning',
            code: '021',
            message: `IEA01 says ${trim(e[1]) || 'nothing'} groups, the interchange has ${ic.groups.length}`,
          });
        if (!sameNumber(e[2], ic.control))
          ic.problems.push({
            level: 'interchange',
            severity: 'warning',
            code: '001',
            message: `IEA02 ${trim(e[2]) || '(empty)'} does not match ISA13 ${ic.control}`,
          });
        this.interchange = undefined;
        return;
      }
      case 'TA1':
        return; // an interchange acknowledgement between ISA and GS: not data
      default:
        if (this.set) this.set.segments.push(seg);
        else
          (this.group ?? this.interchange ?? this).problems.push({
            level: this.group ? 'group' : 'interchange',
            severity: 'warning',
            code: this.group ? '3' : '024',
            message: `segment ${seg.tag} at byte ${this.byteOffset(seg.offset)} is outside a transaction set: ignored`,
          });
    }
  }

  /** The end of the file: whatever is still open lost its trailer. */
  end(): void {
    this.closeInterchange('the end of the file');
  }

  private requireInterchange(seg: X12Segment): X12Interchange {
    if (!this.interchange)
      throw new X12SyntaxError(
        `${seg.tag} outside an interchange (after IEA, before a new ISA)`,
        this.byteOffset(seg.offset),
      );
    return this.interchange;
  }

  private requireGroup(seg: X12Segment): X12Group {
    const ic = this.requireInterchange(seg);
    if (!this.group) {
      // ST without GS: an implicit group so the sets can still be read and answered.
      this.group = {
        functionalId: '',
        sender: ic.sender.id,
        receiver: ic.receiver.id,
        date: ic.date,
        time: ic.time,
        control: '',
        version: '',
        sets: [],
        problems: [
          {
            level: 'group',
            severity: 'error',
            code: '3',
            message: `${seg.tag} at byte ${this.byteOffset(seg.offset)} without a GS functional group header`,
          },
        ],
      };
      ic.groups.push(this.group);
    }
    return this.group;
  }

  private closeSet(by: string): void {
    if (!this.set) return;
    this.set.problems.push({
      level: 'set',
      severity: 'error',
      code: '2',
      message: `transaction set ${this.set.type} ${this.set.control} has no SE trailer (${by} came first)`,
    });
    const set = this.set;
    this.set = undefined;
    this.completed(set);
  }

  private closeGroup(by: string): void {
    this.closeSet(by);
    if (!this.group) return;
    this.group.problems.push({
      level: 'group',
      severity: this.severity,
      count: true,
      code: '3',
      message: `group ${this.group.control} has no GE trailer (${by} came first)`,
    });
    this.group = undefined;
  }

  private closeInterchange(by: string): void {
    this.closeGroup(by);
    if (!this.interchange) return;
    this.interchange.problems.push({
      level: 'interchange',
      severity: 'warning',
      code: '023',
      message: `interchange ${this.interchange.control} has no IEA trailer (${by} came first)`,
    });
    this.interchange = undefined;
  }
}

/**
 * A whole X12 file (BOM and any line-break style allowed): interchanges, groups and transaction
 * sets with every envelope problem found. Throws X12SyntaxError (with the byte offset) only when
 * there is no readable interchange header at all.
 */
export function readX12(text: string, options: X12ReadOptions = {}): X12Document {
  const bom = text.startsWith('\uFEFF');
  const body = bom ? text.slice(1) : text;
  const offsets = (i: number): number => byteOffsetOf(body, i, bom);
  const tokenizer = new X12Tokenizer(offsets);
  const reader = new X12EnvelopeReader(options, offsets);
  for (const seg of tokenizer.push(body)) reader.add(seg);
  for (const seg of tokenizer.end()) reader.add(seg);
  reader.end();
  return {
    delimiters: tokenizer.delimiters as X12Delimiters,
    interchanges: reader.interchanges,
    problems: reader.problems,
  };
}
