import { InvalidArgumentError } from 'commander';
import * as fs from 'node:fs';
import { apiBackend, CliBackend, directBackend, Row } from './cli.backend';

/** The global options: `--api <url>` sends every command to a running API instead of opening the database. */
let backendFor: () => Promise<CliBackend> = directBackend;

/** `--api <url>` (or TRADELANE_API) for the command about to run: over HTTP; else in process. */
export function useApi(api: string | undefined): void {
  backendFor = api ? async () => apiBackend(api) : directBackend;
}

export async function withApp<T>(fn: (b: CliBackend) => Promise<T>): Promise<T> {
  const backend = await backendFor();
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

export const CONTENT_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.txt': 'text/plain',
  '.json': 'application/json',
  '.ndjson': 'application/x-ndjson',
  '.jsonl': 'application/x-ndjson',
  '.xml': 'application/xml',
};

/** A date as JSON (string) or in process (Date), printed the same. */
export function iso(v: unknown): string {
  if (!v) return '';
  return v instanceof Date ? v.toISOString() : String(v);
}

export function limit(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new InvalidArgumentError('must be an integer from 1 to 10000');
  return n;
}

export function print(rows: object[], json: boolean): void {
  if (json) console.log(JSON.stringify(rows, null, 2));
  else if (!rows.length) console.log('(none)');
  else console.table(rows);
}

export function readConfig(v: string): Record<string, unknown> {
  const text = v.startsWith('@') ? fs.readFileSync(v.slice(1), 'utf8') : v;
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
  } catch {
    /* reported below */
  }
  throw new InvalidArgumentError('--config must be a JSON object or @file.json');
}

export function instanceRow(v: Row) {
  const check = v.lastCheck as { code: string; at: unknown } | null;
  return {
    id: v.id,
    state: v.state,
    health: v.health,
    lastCheck: check ? `${check.code} at ${iso(check.at)}` : '',
    lastSuccess: iso(v.lastSuccessAt),
    settings: JSON.stringify(v.settings),
  };
}
