import type { ConnectorContext } from '@tradelane/connector-sdk';
import { ConnectorError } from '@tradelane/connector-sdk';
import axios, { AxiosInstance } from 'axios';
import { ExampleHttpConfig } from '../example-http.config';

export interface SourcePage {
  items: unknown[];
  next: string | null;
}

/** The source system's REST API: the only place this plugin does I/O. */
export class ExampleHttpClient {
  private readonly http: AxiosInstance;

  constructor(config: ExampleHttpConfig, outbound?: ConnectorContext['outbound']) {
    this.http = axios.create({
      baseURL: config.baseUrl,
      timeout: config.timeoutMs,
      // Redirects are not followed (one could point inward); connections go through the runtime's guard.
      maxRedirects: 0,
      ...outbound,
      headers: { Authorization: `Bearer ${config.apiToken}`, Accept: 'application/json' },
    });
  }

  async health(): Promise<{ status: string; version?: string }> {
    return this.get('/health');
  }

  async page(stream: string, after: string | null, limit: number, ids?: string[]): Promise<SourcePage> {
    const body = await this.get<SourcePage>(`/v1/${encodeURIComponent(stream)}`, {
      limit,
      ...(after ? { after } : {}),
      ...(ids ? { ids: ids.join(',') } : {}),
    });
    if (!body || !Array.isArray(body.items))
      throw new ConnectorError('permanent', `GET /v1/${stream}: the response has no items array`, {
        field: 'items',
      });
    return { items: body.items, next: typeof body.next === 'string' ? body.next : null };
  }

  async keys(stream: string, since: string | null): Promise<{ id: string; updatedAt: string }[]> {
    const body = await this.get<{ keys?: unknown }>(
      `/v1/${encodeURIComponent(stream)}/keys`,
      since ? { since } : {},
    );
    if (!Array.isArray(body?.keys))
      throw new ConnectorError('permanent', `GET /v1/${stream}/keys: the response has no keys array`, {
        field: 'keys',
      });
    return body.keys as { id: string; updatedAt: string }[];
  }

  async byIds(stream: string, ids: string[]): Promise<unknown[]> {
    const items: unknown[] = [];
    for (let i = 0; i < ids.length; i += 100)
      items.push(...(await this.page(stream, null, 1000, ids.slice(i, i + 100))).items);
    return items;
  }

  /** Delivers a CRM event to the source system. */
  async postEvent(event: object): Promise<void> {
    try {
      await this.http.post('/v1/crm-events', event);
    } catch (e) {
      const err = ConnectorError.from(e, 'POST /v1/crm-events');
      throw new ConnectorError(err.kind, err.message, { field: err.field, retryAfterMs: err.retryAfterMs });
    }
  }

  private async get<T>(path: string, params?: Record<string, unknown>): Promise<T> {
    try {
      return (await this.http.get<T>(path, { params })).data;
    } catch (e) {
      // Never let the request config (with the Authorization header) travel with the error.
      const err = ConnectorError.from(e, `GET ${path}`);
      throw new ConnectorError(err.kind, err.message, { field: err.field, retryAfterMs: err.retryAfterMs });
    }
  }
}
