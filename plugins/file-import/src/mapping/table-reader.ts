import { decodeUtf8, NotUtf8Error } from '@tradelane/connector-sdk';
import { parse } from 'csv-parse/sync';
import { ImportMapping } from './import-mapping';

/** One row of the file: where it is (CSV line, NDJSON line, JSON array item) and its cells by column. */
export interface Row {
  /** 1-based: the CSV line the row ends on (the header is line 1), the NDJSON line, the JSON item number. */
  row: number;
  cells: Record<string, unknown>;
  /** Why the row's cells cannot be trusted (a CSV row with more or fewer cells than the header). */
  problem?: string;
}

/** The file cannot be read at all: named with where (`line 3`, `byte 118`) and why. */
export class FileReadError extends Error {
  constructor(
    message: string,
    readonly where: string,
  ) {
    super(message);
  }
}

export type FileFormat = NonNullable<ImportMapping['format']>;

export function formatOf(mapping: ImportMapping, fileName: string | undefined): FileFormat {
  if (mapping.format) return mapping.format;
  const name = (fileName ?? '').toLowerCase();
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  if (name.endsWith('.json')) return 'json';
  return 'csv';
}

/** Bytes → text in the mapping's encoding; a byte sequence invalid in it is refused with its offset. */
export function decode(body: Buffer, encoding: ImportMapping['encoding'] = 'utf-8'): string {
  if (encoding === 'utf-8') {
    try {
      return decodeUtf8(body);
    } catch (e) {
      if (!(e instanceof NotUtf8Error)) throw e;
      throw new FileReadError(
        `${e.message}: set "encoding" in the mapping (e.g. windows-1252 for Excel exports)`,
        `byte ${e.offset}`,
      );
    }
  }
  // windows-1252 and ISO-8859-1 assign a character to (nearly) every byte: WHATWG maps both labels to windows-1252.
  return new TextDecoder(encoding).decode(body);
}

const DELIMITERS = [',', ';', '\t', '|'];

function guessDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  let best = ',';
  let most = 0;
  for (const d of DELIMITERS) {
    const n = header.split(d).length - 1;
    if (n > most) [best, most] = [d, n];
  }
  return best;
}

/** The file's rows (CSV with a header row, NDJSON, or a JSON array), each with its row number. */
export function readRows(text: string, mapping: ImportMapping, format: FileFormat): Row[] {
  if (format === 'csv') return readCsv(text, mapping);
  if (format === 'ndjson') {
    const rows: Row[] = [];
    text.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      rows.push({ row: i + 1, cells: parseJsonObject(line, `line ${i + 1}`) });
    });
    return rows;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FileReadError(`not JSON: ${(e as Error).message}`, 'the document');
  }
  const list = mapping.jsonPath ? (doc as Record<string, unknown> | null)?.[mapping.jsonPath] : doc;
  if (!Array.isArray(list))
    throw new FileReadError(
      mapping.jsonPath
        ? `"${mapping.jsonPath}" is not an array of rows`
        : 'the document is not an array of rows: set "jsonPath" to the property that holds them',
      mapping.jsonPath ?? 'the document',
    );
  return list.map((cells, i) => {
    if (!cells || typeof cells !== 'object' || Array.isArray(cells))
      throw new FileReadError(`item ${i + 1} is not an object`, `item ${i + 1}`);
    return { row: i + 1, cells: cells as Record<string, unknown> };
  });
}

function parseJsonObject(line: string, where: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    throw new FileReadError(`${where} is not JSON: ${(e as Error).message}`, where);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new FileReadError(`${where} is not a JSON object`, where);
  return v as Record<string, unknown>;
}

function readCsv(text: string, mapping: ImportMapping): Row[] {
  const delimiter = mapping.csv?.delimiter ?? guessDelimiter(text.replace(/^\uFEFF/, ''));
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      quote: mapping.csv?.quote ?? '"',
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new FileReadError(`CSV: ${err.message}`, err.lines ? `line ${err.lines}` : 'the file');
  }
  if (!records.length) throw new FileReadError('the file is empty (no header row)', 'line 1');
  const header = records[0].record.map((h) => h.trim());
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup) throw new FileReadError(`the header names column "${dup}" twice`, 'line 1');
  const join = mapping.csv?.joinExtraCellsInto;
  const at = join === undefined ? -1 : header.indexOf(join);
  if (join !== undefined && at < 0)
    throw new FileReadError(`csv.joinExtraCellsInto: the header has no column "${join}"`, 'line 1');
  return records.slice(1).map(({ record, info }) => {
    let cells = record;
    if (cells.length > header.length && at >= 0) {
      // An unquoted delimiter inside that column (`Rua do Paço, 67`): its surplus cells are joined back.
      const extra = cells.length - header.length;
      cells = [
        ...cells.slice(0, at),
        cells.slice(at, at + extra + 1).join(delimiter),
        ...cells.slice(at + extra + 1),
      ];
    }
    const problem =
      cells.length !== header.length
        ? `${cells.length} cells where the header has ${header.length} (a delimiter inside an unquoted cell?${at < 0 ? ' set csv.joinExtraCellsInto to the column that holds it' : ''})`
        : undefined;
    return { row: info.lines, cells: Object.fromEntries(header.map((h, i) => [h, cells[i]])), problem };
  });
}
