import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

/** A webhook body as Tradelane sends it. */
export interface WebhookBody {
  type: string;
  timestamp?: string;
  data: Record<string, unknown>;
}

/** What a {@link startWebhookReceiver} got: the path it was posted to and the body. */
export interface ReceivedWebhook {
  path: string;
  body: WebhookBody;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:<port>: subscribe `${base}/<path>`. */
  readonly base: string;
  /** Everything received so far except the endpoint verification, in arrival order. */
  readonly received: ReceivedWebhook[];
  /** The bodies received on `path`, removed from `received`. */
  take(path: string): WebhookBody[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on loopback that answers every webhook 204 and keeps what it got (the
 * `webhook.verification` event of a new subscription is answered and not kept). For suites that
 * check what partners receive; suites that check retries and signatures keep their own.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookBody;
      if (body.type !== 'webhook.verification') received.push({ path: req.url ?? '', body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    take(path) {
      const mine = received.filter((r) => r.path === path);
      received.splice(0, received.length, ...received.filter((r) => r.path !== path));
      return mine.map((r) => r.body);
    },
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
