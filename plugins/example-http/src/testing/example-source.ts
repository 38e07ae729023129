import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A stand-in for a customer's REST system, for tests and for trying the connector out
 * (`npm run example-source`): bearer-token auth, `GET /health`, and per stream
 * `GET /v1/<stream>?after=<cursor>&limit=<n>` returning records in (updatedAt, id) order with
 * `next`, the cursor after the last item; `GET /v1/<stream>/keys?since=` (reconciliation) and
 * `GET /v1/<stream>?ids=a,b` (re-pull). Records can be added, changed and removed while it runs.
 */
export interface SourceRecord {
  id: string;
  updatedAt: string;
  [field: string]: unknown;
}

const cursorOf = (r: SourceRecord) => Buffer.from(`${r.updatedAt}|${r.id}`).toString('base64url');
const keyOf = (r: SourceRecord) => `${r.updatedAt}|${r.id}`;

export class ExampleSource {
  private server?: Server;
  private readonly streams = new Map<string, Map<string, SourceRecord>>();
  /** Requests served, per path (for tests). */
  readonly requests: string[] = [];
  /** Answer every request with this status instead (simulate an outage). */
  failWith: number | null = null;
  /** Answer each request after this many milliseconds (a slow system). */
  delayMs = 0;
  /** CRM events Tradelane sent here (`POST /v1/crm-events`), in arrival order. */
  readonly received: { id: string; type: string; payload: Record<string, unknown> }[] = [];

  constructor(
    private token: string,
    readonly version = '1.4.2',
  ) {}

  upsert(stream: string, record: SourceRecord): void {
    if (!this.streams.has(stream)) this.streams.set(stream, new Map());
    (this.streams.get(stream) as Map<string, SourceRecord>).set(record.id, record);
  }

  remove(stream: string, id: string): void {
    this.streams.get(stream)?.delete(id);
  }

  records(stream: string): SourceRecord[] {
    return [...(this.streams.get(stream)?.values() ?? [])].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  }

  rotateToken(token: string): void {
    this.token = token;
  }

  /** Seeds `n` customers and, per customer, `ordersPer` orders, with increasing update times. */
  seed(n: number, ordersPer = 1, start = Date.parse('2026-01-01T00:00:00Z')): void {
    let t = start;
    const at = () => new Date((t += 1000)).toISOString();
    for (let i = 0; i < n; i++) {
      const id = `EX${String(i).padStart(6, '0')}`;
      this.upsert('customers', {
        id,
        name: `Example customer ${i}`,
        city: 'Rotterdam',
        country: 'NL',
        updatedAt: at(),
      });
      for (let j = 0; j < ordersPer; j++)
        this.upsert('orders', {
          id: `SO-${i}-${j}`,
          number: `SO-${i}-${j}`,
          customer: id,
          orderedAt: at(),
          currency: 'EUR',
          lines: [{ sku: 'PAL', qty: 1 + (i % 5), price: 25 }],
          updatedAt: at(),
        });
    }
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(port, host, resolve));
    const a = this.server.address() as AddressInfo;
    return `http://${host}:${a.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (this.delayMs) {
      setTimeout(() => this.answer(req, res), this.delayMs);
      return;
    }
    this.answer(req, res);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://source');
    this.requests.push(`${url.pathname}${url.search}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.failWith) return send(this.failWith, { error: 'unavailable' });
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { error: 'invalid token' });
    if (url.pathname === '/health') return send(200, { status: 'ok', version: this.version });
    if (url.pathname === '/v1/crm-events' && req.method === 'POST') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        try {
          this.received.push(JSON.parse(body));
          send(204, {});
        } catch {
          send(400, { error: 'not JSON' });
        }
      });
      return;
    }
    const k = /^\/v1\/([a-z-]+)\/keys$/.exec(url.pathname);
    if (k) {
      const since = url.searchParams.get('since') ?? '';
      const keys = this.records(k[1])
        .filter((r) => r.updatedAt >= since)
        .map((r) => ({ id: r.id, updatedAt: r.updatedAt }));
      return send(200, { keys });
    }
    const m = /^\/v1\/([a-z-]+)$/.exec(url.pathname);
    if (!m || req.method !== 'GET') return send(404, { error: 'not found' });
    const ids = url.searchParams.get('ids');
    if (ids) {
      const wanted = new Set(ids.split(','));
      return send(200, { items: this.records(m[1]).filter((r) => wanted.has(r.id)), next: null });
    }
    const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 100), 1), 1000);
    const after = url.searchParams.get('after');
    const from = after ? Buffer.from(after, 'base64url').toString('utf8') : '';
    const items = this.records(m[1])
      .filter((r) => keyOf(r) > from)
      .slice(0, limit);
    return send(200, { items, next: items.length ? cursorOf(items[items.length - 1]) : null });
  }
}
