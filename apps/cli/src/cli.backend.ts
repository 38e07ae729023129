import { INestApplicationContext, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditService } from '@tradelane/access';
import {
  AddInstance,
  AddTradingPartnerDto,
  ConnectorDeliveryService,
  ConnectorInstanceService,
  ConnectorReconcileService,
  ImportReport,
  TradingPartnerService,
  WebhookService,
} from '@tradelane/connector-host';
import { SampleDataService } from '@tradelane/crm-core';
import { OpsService } from '@tradelane/messaging';
import { Database, databaseConfigFromEnv, DataDirLockedError, dataDirOwner } from '@tradelane/persistence';
import { CliModule } from './cli.module';

/** JSON as the API sends it: dates are ISO strings over HTTP, Date objects in process. */
export type Row = Record<string, unknown>;
export type Page = { items: Row[] };

/**
 * What the CLI commands do, on one of two backends: in process (opens the database and the broker
 * itself; refused while another process holds the embedded database) or over HTTP against a
 * running API (`--api <url>`), which is how to operate an embedded app that is running.
 */
export interface CliBackend {
  readonly where: string;
  migrate(): Promise<string>;
  ledgerPage(q: Row): Promise<Page>;
  deadLetterPage(q: Row): Promise<Page>;
  redrive(q: Row): Promise<{ count: number; messageIds: string[] }>;
  installed(): Promise<Row[]>;
  instances(): Promise<Row[]>;
  add(input: AddInstance): Promise<Row>;
  check(id: string): Promise<{ ok: boolean; code: string; message: string }>;
  status(id: string): Promise<Row & { streams: { records: number }[] }>;
  setState(id: string, state: 'paused' | 'running'): Promise<Row>;
  reconcile(id: string, body: { since?: string; repull: boolean }): Promise<Row>;
  backfill(id: string, stream?: string): Promise<{ id: string; stream: string }[]>;
  backfills(id: string): Promise<{ id: string; stream: string; state: string; records: number | string }[]>;
  deliveries(
    id: string,
    q: { state?: string; limit: number; offset: number },
  ): Promise<{ items: Row[]; total: number }>;
  resend(id: string, messageId?: string): Promise<{ requeued: number }>;
  resolve(
    id: string,
    messageId: string,
    body: { take: 'crm' | 'system'; actor?: string; note?: string },
  ): Promise<Row>;
  importFile(
    id: string,
    body: Buffer,
    options: { fileName: string; dryRun: boolean; channel?: string; contentType: string },
  ): Promise<ImportReport>;
  rotateSecrets(): Promise<number>;
  sample(): Promise<number>;
  /** The audit log, newest first (tenant default when in process; the token's tenant over HTTP). */
  auditPage(q: Row): Promise<Page>;
  /** EDI trading partners: list (paged, filtered), add. */
  tradingPartners(q: Row): Promise<Page & { total: number }>;
  addTradingPartner(input: AddTradingPartnerDto): Promise<Row>;
  close(): Promise<void>;
}

const LOG_LEVELS: LogLevel[] = process.env.CLI_VERBOSE ? ['log', 'warn', 'error'] : ['warn', 'error'];

/** In process: the same modules as the apps, on the configured database and broker. */
export async function directBackend(): Promise<CliBackend> {
  const config = databaseConfigFromEnv();
  // Checked before anything opens: a clear refusal instead of Nest's boot error.
  if (config.kind === 'pglite' && config.dataDir && !config.dataDir.startsWith('memory://')) {
    const owner = dataDirOwner(config.dataDir);
    if (owner) throw new DataDirLockedError(config.dataDir, owner);
  }
  const app: INestApplicationContext = await NestFactory.createApplicationContext(CliModule, {
    logger: LOG_LEVELS,
    abortOnError: false,
  });
  const instances = app.get(ConnectorInstanceService);
  const ops = app.get(OpsService);
  return {
    where: app.get(Database).describe(),
    migrate: async () => {
      const ran = await app.get(Database).migrate();
      return ran.length ? `applied: ${ran.join(', ')}` : 'database is up to date';
    },
    ledgerPage: (q) => ops.ledgerPage(q as never) as unknown as Promise<Page>,
    deadLetterPage: (q) => ops.deadLetterPage(q as never) as unknown as Promise<Page>,
    redrive: (q) => ops.redrive(q as never),
    installed: async () => instances.installed() as unknown as Row[],
    instances: async () => (await instances.list()) as unknown as Row[],
    add: async (input) => (await instances.add(input)) as unknown as Row,
    check: (id) => instances.check(id),
    status: async (id) => (await instances.status(id)) as unknown as Row & { streams: { records: number }[] },
    setState: async (id, state) => (await instances.setState(id, state)) as unknown as Row,
    reconcile: async (id, body) =>
      (await app.get(ConnectorReconcileService).reconcile(id, body)) as unknown as Row,
    backfill: async (id, stream) => (await instances.backfill(id, stream)).started,
    backfills: (id) => instances.backfillsOf(id),
    deliveries: (id, q) =>
      app.get(ConnectorDeliveryService).list(id, q as never) as unknown as Promise<Page & { total: number }>,
    resend: (id, messageId) => app.get(ConnectorDeliveryService).resend(id, messageId),
    importFile: (id, body, options) => app.get(WebhookService).importFile(id, body, options),
    resolve: async (id, messageId, body) =>
      (await app.get(ConnectorDeliveryService).resolve(id, messageId, body)) as unknown as Row,
    rotateSecrets: () => instances.rotateSecrets(),
    sample: () => app.get(SampleDataService).load(),
    auditPage: (q) =>
      app.get(AuditService).list({
        tenant: String(q.tenant ?? 'default'),
        actor: q.actor as string | undefined,
        action: q.action as string | undefined,
        targetId: q.target as string | undefined,
        before: q.cursor as string | undefined,
        limit: Number(q.limit ?? 100),
      }) as unknown as Promise<Page>,
    tradingPartners: (q) =>
      app.get(TradingPartnerService).list({
        standard: q.standard as string | undefined,
        q: q.q as string | undefined,
        limit: Number(q.limit ?? 50),
        offset: Number(q.offset ?? 0),
      }) as unknown as Promise<Page & { total: number }>,
    addTradingPartner: async (input) => (await app.get(TradingPartnerService).add(input)) as unknown as Row,
    close: () => app.close(),
  };
}

/** An API answer that is not 2xx, with the API's own message (it names the field and the fix). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The Authorization header of the CLI's calls: TRADELANE_TOKEN as it is, or an access token of the
 * OAuth client TRADELANE_CLIENT_ID / TRADELANE_CLIENT_SECRET (client credentials, POST /oauth/token),
 * asked once and again a minute before it expires; none without either.
 */
export function credentials(root: string, env: NodeJS.ProcessEnv = process.env) {
  let held: { token: string; until: number } | null = null;
  return async (): Promise<Record<string, string>> => {
    if (env.TRADELANE_TOKEN) return { authorization: `Bearer ${env.TRADELANE_TOKEN}` };
    const id = env.TRADELANE_CLIENT_ID;
    const secret = env.TRADELANE_CLIENT_SECRET;
    if (!id && !secret) return {};
    if (!id || !secret)
      throw new Error('TRADELANE_CLIENT_ID and TRADELANE_CLIENT_SECRET go together: set both');
    if (!held || Date.now() > held.until) {
      let res: Response;
      try {
        res = await fetch(`${root}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'client_credentials', client_id: id, client_secret: secret }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (e) {
        throw new Error(`the API at ${root} did not answer the token request (${(e as Error).message})`);
      }
      const body = (await res.json().catch(() => ({}))) as {
        access_token?: string;
        expires_in?: number;
        error?: string;
        error_description?: string;
      };
      if (!res.ok || !body.access_token)
        throw new ApiError(
          res.status,
          `the OAuth client ${id} was refused: ${body.error ?? res.status}${body.error_description ? ` (${body.error_description})` : ''}`,
        );
      held = {
        token: body.access_token,
        until: Date.now() + Math.max(0, (body.expires_in ?? 60) - 60) * 1000,
      };
    }
    return { authorization: `Bearer ${held.token}` };
  };
}

/** Over HTTP against a running API (the embedded app, or any deployment). */
export function apiBackend(base: string): CliBackend {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`--api ${base}: not a URL (e.g. http://127.0.0.1:3000)`);
  }
  const root = url.toString().replace(/\/$/, '');
  const bearer = credentials(root);
  /** A Buffer body is sent as it is, with `headers` (a file); anything else as JSON. */
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    query?: Row,
    headers?: Record<string, string>,
  ): Promise<T> => {
    const qs = new URLSearchParams(
      Object.entries(query ?? {})
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    let res: Response;
    try {
      res = await fetch(`${root}${path}${qs ? `?${qs}` : ''}`, {
        method,
        headers: {
          ...(Buffer.isBuffer(body)
            ? (headers ?? {})
            : body === undefined
              ? {}
              : { 'content-type': 'application/json' }),
          // TRADELANE_TOKEN (an API key or session) or an OAuth client (TRADELANE_CLIENT_ID and
          // _SECRET); without either, only the embedded trial's local administrator mode (same
          // machine) lets the command through.
          ...(await bearer()),
        },
        body: Buffer.isBuffer(body) ? body : body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(Number(process.env.CLI_API_TIMEOUT_SECONDS ?? 120) * 1000),
      });
    } catch (e) {
      const c = (e as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } }).cause;
      const cause = c?.code ?? c?.errors?.[0]?.code ?? c?.message ?? (e as Error).message;
      throw new Error(`the API at ${root} did not answer (${cause}): is it running? (npm start)`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const m = (json as { message?: unknown } | undefined)?.message;
      throw new ApiError(
        res.status,
        `${res.status}: ${Array.isArray(m) ? m.join('; ') : (m ?? text.slice(0, 200))}`,
      );
    }
    return json as T;
  };
  const enc = encodeURIComponent;
  return {
    where: `the API at ${root}`,
    migrate: async () => {
      await call('GET', '/health');
      return `the API at ${root} applies migrations when it starts: nothing to do`;
    },
    ledgerPage: (q) => call('GET', '/ledger', undefined, q),
    deadLetterPage: (q) => call('GET', '/dead-letters', undefined, q),
    redrive: (q) => call('POST', '/dead-letters/redrive', q),
    installed: () => call('GET', '/connectors'),
    instances: () => call('GET', '/connector-instances'),
    add: (input) => call('POST', '/connector-instances', input),
    check: (id) => call('POST', `/connector-instances/${enc(id)}/check`, {}),
    status: (id) => call('GET', `/connector-instances/${enc(id)}`),
    setState: (id, state) =>
      call('POST', `/connector-instances/${enc(id)}/${state === 'paused' ? 'pause' : 'resume'}`, {}),
    reconcile: (id, body) => call('POST', `/connector-instances/${enc(id)}/reconcile`, body),
    backfill: (id, stream) =>
      call('POST', `/connector-instances/${enc(id)}/backfill`, stream ? { stream } : {}),
    backfills: (id) => call('GET', `/connector-instances/${enc(id)}/backfills`),
    deliveries: (id, q) => call('GET', `/connector-instances/${enc(id)}/deliveries`, undefined, q),
    resend: (id, messageId) =>
      call('POST', `/connector-instances/${enc(id)}/deliveries/resend`, messageId ? { messageId } : {}),
    resolve: (id, messageId, body) =>
      call('POST', `/connector-instances/${enc(id)}/deliveries/${enc(messageId)}/resolve`, body),
    importFile: (id, body, { fileName, dryRun, channel, contentType }) =>
      call(
        'POST',
        `/connector-instances/${enc(id)}/import`,
        body,
        { dryRun, channel },
        {
          'content-type': contentType,
          'x-file-name': fileName,
        },
      ),
    rotateSecrets: async () => (await call<{ resealed: number }>('POST', '/secrets/rotate', {})).resealed,
    sample: async () => (await call<{ published: number }>('POST', '/sample', {})).published,
    auditPage: (q) => call('GET', '/audit', undefined, q),
    tradingPartners: (q) => call('GET', '/trading-partners', undefined, q),
    addTradingPartner: (input) => call('POST', '/trading-partners', input),
    close: async () => undefined,
  };
}
