import { CONTROL, DATA_HEADER, Field, fieldsOf, IDOC_TYPES, SDATA_OFFSET } from './idoc.segments';

/** Why an IDoc cannot be read, naming the record (1-based line of the file) and column (1-based). */
export class IdocError extends Error {
  constructor(
    readonly record: number,
    readonly column: number,
    readonly field: string,
    reason: string,
    /** XML IDocs have no columns: the element path instead (`IDOC[1]/E1EDP01[2]/MENGE`). */
    readonly path?: string,
  ) {
    super(`${path ?? `record ${record}, column ${column} (${field})`}: ${reason}`);
    this.name = 'IdocError';
  }

  /** Where, for dead-letter records: `record 1 column 40 IDOCTYP`, or the XML element path. */
  get where(): string {
    return this.path ?? `record ${this.record} column ${this.column} ${this.field}`;
  }
}

export interface IdocSegment {
  /** Segment type without its version (`E2EDK01`), or the record's name when unknown. */
  type: string;
  /** Name as written, with the version (`E2EDK01005`). */
  name: string;
  segnum: string;
  /** Parent segment number (000000 at the top) and hierarchy level. */
  psgnum: string;
  hlevel: string;
  /** Fields of a known segment, trimmed; empty ones left out. */
  fields: Record<string, string>;
  /** Unknown segments (customer extensions `Z1...`, `ZE1...`) are kept whole, not fatal. */
  raw?: string;
  known: boolean;
  /** Line in the file (flat), or the segment's position in the IDoc (XML). */
  record: number;
  /** XML form: the element path, e.g. `IDOC[1]/E1EDP01[2]`. */
  path?: string;
}

export interface Idoc {
  control: Record<string, string>;
  type: string;
  segments: IdocSegment[];
  /** Line of the control record. */
  record: number;
  /** XML form: the IDOC element's path. */
  path?: string;
  /** IANA zone of the SAP system's local times without a zone field (the instance's `timeZone`). */
  zone?: string;
}

const controlFields = fieldsOf(CONTROL);
const headerFields = fieldsOf(DATA_HEADER);
const fieldCache = new Map<string, Map<string, Field[]>>();

export function segmentFields(idocType: string): Map<string, Field[]> {
  let m = fieldCache.get(idocType);
  if (!m) {
    m = new Map(Object.entries(IDOC_TYPES[idocType]).map(([k, layout]) => [k, fieldsOf(layout)]));
    fieldCache.set(idocType, m);
  }
  return m;
}

function cut(line: string, fields: Field[], base = 0): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const v = line.slice(base + f.offset, base + f.offset + f.length).trim();
    if (v) out[f.name] = v;
  }
  return out;
}

/** The known segment type a record name stands for: itself, or itself without a 3-digit version. */
export function typeOf(name: string, known: Map<string, Field[]>): string | undefined {
  if (known.has(name)) return name;
  // XML IDocs name segment types (E1EDK01) where flat files name definitions (E2EDK01005).
  if (name.startsWith('E1') && known.has(`E2${name.slice(2)}`)) return `E2${name.slice(2)}`;
  const base = /^(.+?)\d{3}$/.exec(name)?.[1];
  return base && known.has(base) ? base : undefined;
}

/**
 * Reads a flat-file IDoc file (as written to an SAP file port): one or more IDocs, each a fixed-width
 * EDI_DC40 control record followed by its data records. Line ends may be LF or CRLF; short records
 * are read as if padded with blanks. Pure: text in, IDocs out, IdocError naming record and column.
 */
export function parseFlatIdocs(text: string): Idoc[] {
  const lines = text.split(/\r?\n/);
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  if (!lines.length) throw new IdocError(1, 1, 'TABNAM', 'the file is empty');
  const idocs: Idoc[] = [];
  let current: Idoc | undefined;
  lines.forEach((line, i) => {
    const record = i + 1;
    if (!line.trim()) throw new IdocError(record, 1, 'SEGNAM', 'empty record inside the IDoc');
    if (line.startsWith('EDI_DC')) {
      current = readControl(line, record);
      idocs.push(current);
      return;
    }
    if (!current)
      throw new IdocError(
        record,
        1,
        'TABNAM',
        `expected a control record EDI_DC40, found "${line.slice(0, 30).trim()}"`,
      );
    const header = cut(line, headerFields);
    const name = header.SEGNAM;
    if (!name) throw new IdocError(record, 1, 'SEGNAM', 'segment name is blank');
    if (line.length <= SDATA_OFFSET)
      throw new IdocError(
        record,
        line.length + 1,
        'SDATA',
        `record ends at column ${line.length}: no segment data`,
      );
    const known = segmentFields(current.type);
    const type = typeOf(name, known);
    current.segments.push({
      type: type ?? name,
      name,
      segnum: header.SEGNUM ?? '',
      psgnum: header.PSGNUM ?? '000000',
      hlevel: header.HLEVEL ?? '',
      fields: type ? cut(line, known.get(type) as Field[], SDATA_OFFSET) : {},
      ...(type ? {} : { raw: line.slice(SDATA_OFFSET).trimEnd() }),
      known: !!type,
      record,
    });
  });
  return idocs;
}

function readControl(line: string, record: number): Idoc {
  const at = (name: string) => controlFields.find((f) => f.name === name) as Field;
  if (!line.startsWith('EDI_DC40'))
    throw new IdocError(
      record,
      1,
      'TABNAM',
      `control record must be EDI_DC40, found "${line.slice(0, 10).trim()}"`,
    );
  const idoctyp = at('IDOCTYP');
  if (line.length < idoctyp.offset + 1)
    throw new IdocError(
      record,
      line.length + 1,
      'IDOCTYP',
      `control record ends at column ${line.length}, before the IDoc type`,
    );
  const control = cut(line, controlFields);
  const type = control.IDOCTYP;
  if (!type) throw new IdocError(record, idoctyp.offset + 1, 'IDOCTYP', 'IDoc type is blank');
  if (!IDOC_TYPES[type])
    throw new IdocError(
      record,
      idoctyp.offset + 1,
      'IDOCTYP',
      `unknown IDoc type "${type}" (known: ${Object.keys(IDOC_TYPES).join(', ')})`,
    );
  const docnum = at('DOCNUM');
  if (control.DOCNUM && !/^\d+$/.test(control.DOCNUM))
    throw new IdocError(
      record,
      docnum.offset + 1,
      'DOCNUM',
      `IDoc number "${control.DOCNUM}" is not numeric`,
    );
  return { control, type, segments: [], record };
}

/** A field's position for error messages: the record and the 1-based column of the field. */
export function columnOf(idocType: string, segmentType: string, field: string): number {
  const f = segmentFields(idocType)
    .get(segmentType)
    ?.find((x) => x.name === field);
  return f ? SDATA_OFFSET + f.offset + 1 : 0;
}
