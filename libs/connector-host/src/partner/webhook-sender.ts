import axios, { AxiosInstance } from 'axios';
import * as net from 'node:net';
import { OutboundPolicy } from '../outbound';

/** What one attempt came to: for the delivery log. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

/** What of a receiver's answer is read (and kept: the first EXCERPT_CHARS). */
const MAX_RESPONSE_BYTES = 64 * 1024;
const EXCERPT_CHARS = 500;

/**
 * POSTs signed webhook bodies: through the outbound policy's agents (every address checked after
 * DNS, so a name resolving inward is refused; an IP literal is checked here), no redirects (a
 * receiver that moves tells the partner, not us), a timeout, and at most 64 KB of answer read.
 * Anything but a 2xx is a failure.
 */
export class WebhookSender {
  /** One client per outbound policy (a tenant's allowance): its agents check every address. */
  private readonly clients = new WeakMap<OutboundPolicy, AxiosInstance>();

  constructor(private readonly timeoutMs: number) {}

  private client(policy: OutboundPolicy): AxiosInstance {
    let c = this.clients.get(policy);
    if (!c) this.clients.set(policy, (c = this.create(policy)));
    return c;
  }

  private create(policy: OutboundPolicy): AxiosInstance {
    return axios.create({
      ...policy.agents(),
      timeout: this.timeoutMs,
      maxRedirects: 0,
      maxContentLength: MAX_RESPONSE_BYTES,
      responseType: 'text',
      transformResponse: (x: unknown) => x,
      validateStatus: () => true,
    });
  }

  /** POSTs under `policy` (the subscription's tenant's). */
  async post(
    policy: OutboundPolicy,
    url: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const refused = net.isIP(host) ? policy.refusal(host) : undefined;
    if (refused)
      return {
        ok: false,
        statusCode: null,
        latencyMs: 0,
        error: `refused: ${refused}`,
        responseExcerpt: null,
      };
    try {
      const res = await this.client(policy).post<string>(url, body, {
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Tradelane-Webhooks/1' },
      });
      const ok = res.status >= 200 && res.status < 300;
      return {
        ok,
        statusCode: res.status,
        latencyMs: elapsed(),
        error: ok ? null : `answered ${res.status}`,
        responseExcerpt: typeof res.data === 'string' && res.data ? res.data.slice(0, EXCERPT_CHARS) : null,
      };
    } catch (e) {
      const err = e as { code?: string; message: string };
      const why =
        err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT'
          ? 'no answer within the timeout'
          : err.code === 'EOUTBOUNDREFUSED'
            ? `refused: ${err.message}`
            : `${err.code ?? 'error'}: ${err.message}`;
      return { ok: false, statusCode: null, latencyMs: elapsed(), error: why, responseExcerpt: null };
    }
  }
}
