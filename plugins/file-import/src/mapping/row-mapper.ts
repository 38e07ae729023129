import { CanonicalRecord } from '@tradelane/connector-sdk';
import { contractProblem, createEnvelope, MessageType } from '@tradelane/contracts';
import { DateTime } from 'luxon';
import {
  contractFieldShapes,
  FieldShape,
  FieldSpec,
  ImportMapping,
  ListSpec,
  RecordMapping,
  ValueKind,
} from './import-mapping';
import { Row } from './table-reader';

/** A cell that cannot become the field's value: named by row and column. */
class CellError extends Error {
  constructor(
    readonly row: number,
    readonly column: string | undefined,
    reason: string,
  ) {
    super(reason);
  }
}

/** Where a payload field's value came from, by payload path (`lines.0.quantity`). */
type Origins = Map<string, { row: number; column?: string }>;

interface Draft {
  mapping: RecordMapping;
  index: number;
  key: string;
  occurredAt: string;
  payload: Record<string, unknown>;
  origins: Origins;
  firstRow: number;
  error?: CellError;
}

export interface MappedFile {
  records: CanonicalRecord[];
  /** Rows read. */
  rows: number;
}

const cellOf = (cells: Record<string, unknown>, column: string): unknown =>
  column in cells
    ? cells[column]
    : column
        .split('.')
        .reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as never)[k] : undefined), cells);

/**
 * Maps a file's rows to canonical records. Rows with the same record key make one record (list
 * fields `each` collect one element per row; other fields come from the key's first row). A record
 * whose cells cannot be converted, or that its contract refuses, comes back `rejected` with the
 * file, row and column, and the others go on: one bad row never holds back the file.
 */
export class RowMapper {
  private readonly empty: Set<string>;

  constructor(
    private readonly mapping: ImportMapping,
    private readonly context: { instance: string; fileName: string; receivedAt: string },
  ) {
    this.empty = new Set(['', ...(mapping.nullValues ?? [])]);
  }

  map(rows: Row[]): MappedFile {
    const drafts = new Map<string, Draft>();
    for (const row of rows)
      this.mapping.records.forEach((rm, index) => {
        if (rm.when && this.isEmpty(cellOf(row.cells, rm.when))) return;
        this.addRow(drafts, rm, index, row);
      });
    return { records: [...drafts.values()].map((d) => this.finish(d)), rows: rows.length };
  }

  private addRow(drafts: Map<string, Draft>, rm: RecordMapping, index: number, row: Row): void {
    let key: string;
    if (row.problem) {
      // The cells cannot be trusted (which column got the stray delimiter?): the row is rejected whole.
      const k = this.isEmpty(cellOf(row.cells, columnOf(rm.key ?? rm.fields.externalId) ?? ''))
        ? `row ${row.row}`
        : String(cellOf(row.cells, columnOf(rm.key ?? rm.fields.externalId) as string)).trim();
      drafts.set(
        `${index}\u0000row ${row.row}`,
        this.draft(rm, index, k, row, new CellError(row.row, undefined, row.problem)),
      );
      return;
    }
    try {
      const k = this.value(rm.key ?? (rm.fields.externalId as FieldSpec), row, 'string');
      if (k === undefined)
        throw new CellError(row.row, columnOf(rm.key ?? rm.fields.externalId), 'the record key is empty');
      key = String(k);
    } catch (e) {
      // Without a key the row cannot join its record: it is a record of its own, rejected.
      const id = `row ${row.row}`;
      drafts.set(`${index}\u0000${id}`, this.draft(rm, index, id, row, asCellError(e, row)));
      return;
    }
    const id = `${index}\u0000${key}`;
    const draft = drafts.get(id);
    if (!draft) {
      const d = this.draft(rm, index, key, row);
      drafts.set(id, d);
      if (d.error) return;
      try {
        this.fill(rm, d.payload, rm.fields, row, '', d.origins, true);
      } catch (e) {
        d.error = asCellError(e, row);
      }
      return;
    }
    if (draft.error) return;
    try {
      this.fill(rm, draft.payload, rm.fields, row, '', draft.origins, false);
    } catch (e) {
      draft.error = asCellError(e, row);
    }
  }

  private draft(rm: RecordMapping, index: number, key: string, row: Row, error?: CellError): Draft {
    let occurredAt = this.context.receivedAt;
    if (error)
      return {
        mapping: rm,
        index,
        key,
        occurredAt,
        payload: {},
        origins: new Map(),
        firstRow: row.row,
        error,
      };
    if (!error && rm.occurredAt) {
      try {
        occurredAt = (this.value(rm.occurredAt, row, 'timestamp') as string | undefined) ?? occurredAt;
      } catch (e) {
        error = asCellError(e, row);
      }
    }
    return { mapping: rm, index, key, occurredAt, payload: {}, origins: new Map(), firstRow: row.row, error };
  }

  /** Sets the fields of `target` from one row; scalar fields only from the record's first row. */
  private fill(
    rm: RecordMapping,
    target: Record<string, unknown>,
    fields: Record<string, FieldSpec | ListSpec>,
    row: Row,
    path: string,
    origins: Origins,
    first: boolean,
  ): void {
    for (const [name, spec] of Object.entries(fields)) {
      const at = `${path}${name}`;
      if (typeof spec === 'object' && 'each' in spec) {
        const list = (target[name] ??= []) as Record<string, unknown>[];
        const el: Record<string, unknown> = {};
        this.fill(rm, el, spec.each, row, `${at}.${list.length}.`, origins, true);
        if (Object.keys(el).length) list.push(el);
        continue;
      }
      if (!first) continue;
      if (typeof spec === 'object' && 'items' in spec) {
        const list: Record<string, unknown>[] = [];
        for (const item of spec.items) {
          const el: Record<string, unknown> = {};
          this.fill(rm, el, item, row, `${at}.${list.length}.`, origins, true);
          // An item whose every column is empty is left out (a row without a consignee).
          const fromColumns = Object.entries(item).some(([, s]) => columnOf(s) !== undefined);
          const anyCell = Object.keys(el).some((k) => origins.get(`${at}.${list.length}.${k}`)?.column);
          if (Object.keys(el).length && (!fromColumns || anyCell)) list.push(el);
        }
        if (list.length) target[name] = list;
        continue;
      }
      const shape = contractFieldShapes(rm.type).get(at.replace(/\.\d+\./g, '.'));
      const v = this.value(spec, row, undefined, shape);
      // Known even when empty: a required field left empty is reported at its column.
      origins.set(at, { row: row.row, column: columnOf(spec) });
      if (v === undefined) continue;
      target[name] = v;
    }
  }

  private isEmpty(v: unknown): boolean {
    return v === undefined || v === null || (typeof v === 'string' && this.empty.has(v.trim()));
  }

  /** One field's value from a row (undefined: left out), converted as the spec says. */
  private value(spec: FieldSpec, row: Row, as?: ValueKind, shape?: FieldShape): unknown {
    const s = typeof spec === 'string' ? { column: spec } : spec;
    if (s.value !== undefined) return s.value;
    if (s.template) {
      let filled = false;
      const text = s.template.replace(/\{([^}]+)\}/g, (_, c: string) => {
        const v = cellOf(row.cells, c);
        if (this.isEmpty(v)) return '';
        filled = true;
        return String(v).trim();
      });
      if (filled) return text;
      if (s.required) throw new CellError(row.row, s.template, 'is empty');
      return s.default;
    }
    const column = s.column as string;
    const raw = cellOf(row.cells, column);
    if (this.isEmpty(raw)) {
      if (s.default !== undefined) return s.default;
      if (s.required) throw new CellError(row.row, column, 'is empty');
      return undefined;
    }
    const fail = (why: string) => new CellError(row.row, column, `${JSON.stringify(raw)} ${why}`);
    if (s.map) {
      const text = String(raw).trim().toLowerCase();
      const hit = Object.entries(s.map).find(([k]) => k.toLowerCase() === text);
      if (hit) return hit[1];
      if (s.default !== undefined) return s.default;
      throw fail(`is not one of the mapped values (${Object.keys(s.map).join(', ')})`);
    }
    const kind = s.as ?? as ?? shape?.kind ?? 'string';
    if (s.split || kind === 'strings')
      return Array.isArray(raw)
        ? raw.map(String)
        : s.split
          ? String(raw)
              .split(s.split)
              .map((x) => x.trim())
              .filter(Boolean)
          : [String(raw).trim()];
    switch (kind) {
      case 'string': {
        const text = typeof raw === 'string' ? raw.trim() : String(raw);
        return shape?.enum?.find((v) => v.toLowerCase() === text.toLowerCase()) ?? text;
      }
      case 'number':
      case 'integer': {
        const n = typeof raw === 'number' ? raw : this.number(String(raw));
        if (n === undefined) throw fail('is not a number');
        if (kind === 'integer' && !Number.isInteger(n)) throw fail('is not a whole number');
        return n;
      }
      case 'boolean': {
        if (typeof raw === 'boolean') return raw;
        const t = String(raw).trim().toLowerCase();
        if (['true', 'yes', 'y', '1', 'x'].includes(t)) return true;
        if (['false', 'no', 'n', '0'].includes(t)) return false;
        throw fail('is not yes/no (true, false, yes, no, 1, 0)');
      }
      case 'timestamp': {
        const t = this.dateTime(String(raw).trim(), s.format);
        if (!t)
          throw fail(
            `is not a date-time${s.format ? ` in the format ${s.format}` : ' (ISO 8601, or give "format")'}`,
          );
        return t.toUTC().toISO({ suppressMilliseconds: true });
      }
      case 'date': {
        // A date-only promise ("by the end of that day"). Exports often write it as midnight.
        const t = this.dateTime(String(raw).trim(), s.format);
        if (!t)
          throw fail(
            `is not a date${s.format ? ` in the format ${s.format}` : ' (YYYY-MM-DD, or give "format")'}`,
          );
        return t.toISODate();
      }
    }
  }

  private number(text: string): number | undefined {
    let t = text.trim().replace(/[\s\u00a0']/g, '');
    if (this.mapping.decimalComma) t = t.replace(/\./g, '').replace(',', '.');
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }

  /** ISO 8601 (with or without an offset; `2017-10-02 10:56:33` too) or the luxon format, in the mapping's zone. */
  private dateTime(text: string, format?: string): DateTime | undefined {
    const zone = this.mapping.timeZone ?? 'UTC';
    const t = format
      ? DateTime.fromFormat(text, format, { zone, setZone: true })
      : DateTime.fromISO(text.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, '$1T$2'), { zone, setZone: true });
    return t.isValid ? t : undefined;
  }

  /** A draft → a canonical record, checked against its contract; a refusal names row and column. */
  private finish(d: Draft): CanonicalRecord {
    // The payload is built from the mapping at run time: its shape is checked against the contract
    // below (a record that fails is rejected with row and column), not by the compiler.
    const base = {
      type: d.mapping.type,
      key: d.key,
      occurredAt: d.occurredAt,
      payload: d.payload,
    } as unknown as CanonicalRecord;
    const reject = (
      row: number,
      column: string | undefined,
      reason: string,
      field?: string,
    ): CanonicalRecord => ({
      ...base,
      rejected: {
        reason: `${this.context.fileName} row ${row}${column ? ` column ${column}` : ''}: ${reason}`,
        field: `${this.context.fileName} row ${row}${column ? ` column ${column}` : ''}${field ? ` (${field})` : ''}`,
      },
    });
    if (d.error) return reject(d.error.row, d.error.column, d.error.message);
    const problem = contractProblem(
      createEnvelope({
        type: `erp.${d.mapping.type}.v1` as MessageType,
        source: this.context.instance,
        key: d.key,
        occurredAt: d.occurredAt,
        payload: d.payload as never,
      }),
    );
    if (problem) {
      const field = problem.field.replace(/^payload\./, '');
      const origin = nearestOrigin(d.origins, field);
      return reject(origin?.row ?? d.firstRow, origin?.column, problem.message, problem.field);
    }
    return base;
  }
}

function nearestOrigin(origins: Origins, field: string): { row: number; column?: string } | undefined {
  for (let f = field; f; f = f.includes('.') ? f.slice(0, f.lastIndexOf('.')) : '') {
    const hit = origins.get(f);
    if (hit) return hit;
    // A missing element field (lines.2.sku): the row of any field of that element.
    for (const [k, v] of origins) if (k.startsWith(`${f}.`)) return { row: v.row };
  }
  return undefined;
}

function columnOf(spec: FieldSpec | ListSpec | undefined): string | undefined {
  if (!spec) return undefined;
  if (typeof spec === 'string') return spec;
  return 'column' in spec ? spec.column : undefined;
}

function asCellError(e: unknown, row: Row): CellError {
  return e instanceof CellError ? e : new CellError(row.row, undefined, (e as Error).message);
}
