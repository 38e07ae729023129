/**
 * Test support: nock over the recorded Odoo rows. The JSON-RPC endpoint answers `common.version`,
 * `common.authenticate` and `object.execute_kw` (search_read, read, write, create) the way Odoo does
 * (the id always in the rows) (domain in Polish
 * notation, fields, order, limit) from the rows given, so paging and cursors are exercised for real.
 * Not exported from the plugin.
 */
import nock from 'nock';

type Row = Record<string, unknown> & { id: number };
type Domain = unknown[];

function leaf(row: Row, [field, op, value]: [string, string, unknown]): boolean {
  const v = row[field];
  const cmp = (a: unknown, b: unknown) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
  const key = (x: unknown) => (Array.isArray(x) ? x[0] : x);
  switch (op) {
    case '=':
      return key(v) === value || (value === false && (v === false || v === undefined));
    case '!=':
      return key(v) !== value;
    case '>':
      return typeof v === 'number' ? v > (value as number) : cmp(v, value) > 0;
    case '>=':
      return typeof v === 'number' ? v >= (value as number) : cmp(v, value) >= 0;
    case 'in':
      return (value as unknown[]).includes(key(v));
    default:
      throw new Error(`fake Odoo: operator ${op} not supported`);
  }
}

/** Evaluates an Odoo domain (implicit AND, prefix '|' and '&'). */
export function matches(row: Row, domain: Domain): boolean {
  const stack: boolean[] = [];
  for (let i = domain.length - 1; i >= 0; i--) {
    const t = domain[i];
    if (t === '|' || t === '&') {
      const a = stack.pop() as boolean;
      const b = stack.pop() as boolean;
      stack.push(t === '|' ? a || b : a && b);
    } else stack.push(leaf(row, t as [string, string, unknown]));
  }
  return stack.every(Boolean);
}

export interface FakeOdoo {
  data: Record<string, Row[]> & { version: unknown };
  /** Every execute_kw call received (model, method, domain, kwargs). */
  calls: { model: string; method: string; domain: Domain; kwargs: Record<string, unknown> }[];
  /** Answer the next call of this model with an Odoo error envelope. */
  failNext?: { model: string; name: string; message: string };
  apiKey: string;
  scope: nock.Scope;
  /** write_date given to records written or created. */
  now: string;
}

export function fakeOdoo(url: string, data: FakeOdoo['data'], apiKey: string): FakeOdoo {
  const fake: FakeOdoo = { data, calls: [], apiKey, scope: nock(url), now: '2026-11-23 10:00:00' };
  fake.scope = nock(url)
    .persist()
    .post('/jsonrpc')
    .reply((_uri, body) => {
      const { params, id } = body as {
        params: { service: string; method: string; args: unknown[] };
        id: number;
      };
      const error = (name: string, message: string) => [
        200,
        {
          jsonrpc: '2.0',
          id,
          error: { code: 200, message: 'Odoo Server Error', data: { name, message, debug: 'Traceback ...' } },
        },
      ];
      if (params.service === 'common' && params.method === 'version')
        return [200, { jsonrpc: '2.0', id, result: fake.data.version }];
      if (params.service === 'common' && params.method === 'authenticate')
        return [200, { jsonrpc: '2.0', id, result: params.args[2] === fake.apiKey ? 2 : false }];
      const [, , key, model, method, args, kwargs] = params.args as [
        string,
        number,
        string,
        string,
        string,
        unknown[],
        Record<string, unknown>,
      ];
      if (key !== fake.apiKey) return error('odoo.exceptions.AccessDenied', 'Access Denied');
      fake.calls.push({ model, method, domain: args[0] as Domain, kwargs });
      if (fake.failNext?.model === model) {
        const f = fake.failNext;
        fake.failNext = undefined;
        return error(f.name, f.message);
      }
      const rowsOf = (ids: number[]) => fake.data[model].filter((r) => ids.includes(r.id));
      if (method === 'write') {
        const [ids, vals] = args as [number[], Record<string, unknown>];
        const found = rowsOf(ids);
        if (found.length !== ids.length)
          return error('odoo.exceptions.MissingError', 'Record does not exist or has been deleted.');
        for (const r of found) Object.assign(r, vals, { write_date: fake.now });
        return [200, { jsonrpc: '2.0', id, result: true }];
      }
      if (method === 'create') {
        const [vals] = args as [Record<string, unknown>];
        const newId = Math.max(0, ...fake.data[model].map((r) => r.id)) + 1;
        fake.data[model].push({ id: newId, write_date: fake.now, parent_id: false, ...vals });
        return [200, { jsonrpc: '2.0', id, result: newId }];
      }
      if (method === 'read') {
        const [ids] = args as [number[]];
        const fields = kwargs.fields as string[];
        return [
          200,
          {
            jsonrpc: '2.0',
            id,
            result: rowsOf(ids).map((r) => ({
              id: r.id,
              ...Object.fromEntries(fields.map((f) => [f, r[f] ?? false])),
            })),
          },
        ];
      }
      const fields = kwargs.fields as string[];
      for (const f of fields)
        if (!fake.data[model].every((r) => f in r))
          return error('builtins.ValueError', `Invalid field '${f}' on model '${model}'`);
      let rows = fake.data[model].filter((r) => matches(r, args[0] as Domain));
      const order = String(kwargs.order ?? 'id asc')
        .split(',')
        .map((o) => o.trim().split(' ')[0]);
      rows = [...rows].sort((a, b) => {
        for (const k of order) {
          const c = String(a[k]).localeCompare(String(b[k]), 'en', { numeric: true });
          if (c) return c;
        }
        return 0;
      });
      if (kwargs.limit) rows = rows.slice(0, kwargs.limit as number);
      return [
        200,
        {
          jsonrpc: '2.0',
          id,
          result: rows.map((r) => ({ id: r.id, ...Object.fromEntries(fields.map((f) => [f, r[f]])) })),
        },
      ];
    });
  return fake;
}
