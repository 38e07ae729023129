import { ConnectorContext, ConnectorError } from '@tradelane/connector-sdk';
import axios, { AxiosInstance } from 'axios';
import { ErpOdooConfig } from '../erp-odoo.config';

/** Odoo's JSON-RPC error envelope (`{"error": {"code", "message", "data": {"name", "message"}}}`). */
export interface OdooRpcError {
  code?: number;
  message?: string;
  data?: { name?: string; message?: string; debug?: string };
}

/**
 * Maps Odoo's error envelope to the connector error kinds: access refused → auth, a record that no
 * longer exists or a refused value → permanent, a serialization failure / lock (the server is busy
 * with the same rows) → retryable.
 */
export function odooError(err: OdooRpcError, what: string): ConnectorError {
  const name = err.data?.name ?? '';
  const message = `${what}: ${err.data?.message || err.message || 'Odoo error'}${name ? ` (${name})` : ''}`;
  if (/AccessDenied|AccessError|SessionExpired/.test(name)) return new ConnectorError('auth', message);
  if (
    /SerializationFailure|TransactionRollback|LockNotAvailable|ConcurrentUpdate/i.test(
      `${name} ${err.data?.message ?? ''}`,
    )
  )
    return new ConnectorError('retryable', message);
  if (/MissingError|ValidationError|UserError|ValueError/.test(name))
    return new ConnectorError('permanent', message);
  return new ConnectorError('permanent', message);
}

/** Odoo's external API over JSON-RPC (`/jsonrpc`, services `common` and `object`), with an API key. */
export class OdooClient {
  private readonly http: AxiosInstance;
  private uid?: number;
  private seq = 0;

  constructor(
    private readonly config: ErpOdooConfig,
    outbound?: ConnectorContext['outbound'],
  ) {
    // Redirects are not followed (one could point inward); connections go through the runtime's guard.
    this.http = axios.create({
      baseURL: config.url,
      timeout: config.timeoutMs,
      maxRedirects: 0,
      ...outbound,
    });
  }

  private async call<T>(service: 'common' | 'object', method: string, args: unknown[]): Promise<T> {
    const what = `odoo ${service}.${method}${service === 'object' ? ` ${String(args[3])}.${String(args[4])}` : ''}`;
    let data: { result?: T; error?: OdooRpcError };
    try {
      ({ data } = await this.http.post('/jsonrpc', {
        jsonrpc: '2.0',
        method: 'call',
        params: { service, method, args },
        id: ++this.seq,
      }));
    } catch (e) {
      throw ConnectorError.from(e, what);
    }
    if (data?.error) throw odooError(data.error, what);
    return data.result as T;
  }

  /** The server's version: `server_version_info[0]` is the major (16, 17, 18). */
  version(): Promise<{ server_version: string; server_version_info: (number | string)[] }> {
    return this.call('common', 'version', []);
  }

  async login(): Promise<number> {
    if (this.uid) return this.uid;
    const uid = await this.call<number | false>('common', 'authenticate', [
      this.config.database,
      this.config.login,
      this.config.apiKey,
      {},
    ]);
    if (!uid)
      throw new ConnectorError(
        'auth',
        `odoo refused the login of "${this.config.login}" on ${this.config.database}`,
      );
    this.uid = uid;
    return uid;
  }

  async execute<T>(
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown> = {},
  ): Promise<T> {
    const uid = await this.login();
    return this.call<T>('object', 'execute_kw', [
      this.config.database,
      uid,
      this.config.apiKey,
      model,
      method,
      args,
      kwargs,
    ]);
  }

  /** search_read; a result that is not a list (a proxy's error page, another method's answer) names what was expected where. */
  async searchRead<T>(
    model: string,
    domain: unknown[],
    fields: string[],
    o: { limit?: number; order?: string } = {},
  ): Promise<T[]> {
    const result = await this.execute<unknown>(model, 'search_read', [domain], { fields, ...o });
    if (!Array.isArray(result))
      throw new ConnectorError(
        'permanent',
        `${model}.search_read: expected a list of records in result, got ${result === null ? 'null' : typeof result}`,
        { field: `${model}.search_read.result` },
      );
    return result as T[];
  }
}
