import { Envelope } from '@tradelane/contracts';
import { DEAD_LETTER_QUEUE, queueName } from '@tradelane/messaging';
import amqp from 'amqplib';
import { execFileSync } from 'node:child_process';

/**
 * Deletes Tradelane's queues so a suite starts from an empty broker. With rabbitmqctl at hand
 * (the test command's local broker) every `tradelane.*` queue goes; otherwise the known ones.
 */
export async function resetBroker(
  amqpUrl: string,
  rabbitmqctl?: string,
  extra: string[] = [],
): Promise<void> {
  let names = [queueName('core'), DEAD_LETTER_QUEUE, ...extra];
  if (rabbitmqctl) {
    const vhost = decodeURIComponent(new URL(amqpUrl).pathname.slice(1)) || '/';
    const out = execFileSync(rabbitmqctl, ['list_queues', '-p', vhost, 'name', '-q', '--no-table-headers'], {
      encoding: 'utf8',
    });
    names = [
      ...new Set([
        ...names,
        ...out
          .split('\n')
          .map((s) => s.trim())
          .filter((s) => s.startsWith('tradelane.') || s.startsWith('test.')),
      ]),
    ];
  }
  const conn = await amqp.connect(amqpUrl);
  for (const q of names) {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await ch.deleteQueue(q).catch(() => undefined);
    await ch.close().catch(() => undefined);
  }
  await conn.close();
}

/** Plain amqplib publisher (what a connector or a partner system does), with confirms. */
export class RawPublisher {
  private constructor(
    private readonly conn: amqp.ChannelModel,
    private readonly ch: amqp.ConfirmChannel,
  ) {}

  static async open(amqpUrl: string): Promise<RawPublisher> {
    const conn = await amqp.connect(amqpUrl);
    conn.on('error', () => undefined); // a test may stop the broker under us
    const ch = await conn.createConfirmChannel();
    ch.on('error', () => undefined);
    return new RawPublisher(conn, ch);
  }

  async publish(
    exchange: string,
    routingKey: string,
    body: Buffer | string,
    headers: Record<string, unknown> = {},
  ): Promise<void> {
    this.ch.publish(exchange, routingKey, Buffer.isBuffer(body) ? body : Buffer.from(body), {
      persistent: true,
      headers,
    });
    await this.ch.waitForConfirms();
  }

  /** Publishes many without waiting for each confirm, then waits for all. */
  async publishMany(
    exchange: string,
    messages: { routingKey: string; body: Buffer | string }[],
  ): Promise<void> {
    for (const m of messages) {
      const ok = this.ch.publish(
        exchange,
        m.routingKey,
        Buffer.isBuffer(m.body) ? m.body : Buffer.from(m.body),
        { persistent: true },
      );
      if (!ok) await new Promise((r) => this.ch.once('drain', r));
    }
    await this.ch.waitForConfirms();
  }

  publishEnvelope(exchange: string, envelope: Envelope): Promise<void> {
    return this.publish(exchange, envelope.type, JSON.stringify(envelope));
  }

  async close(): Promise<void> {
    await this.ch.close().catch(() => undefined);
    await this.conn.close().catch(() => undefined);
  }
}

/** Collects what reaches an exchange (a partner or ERP subscriber), on its own durable queue. */
export class EventTap {
  readonly received: { envelope: Envelope; redelivered: boolean; routingKey: string }[] = [];

  private constructor(
    private readonly conn: amqp.ChannelModel,
    private readonly ch: amqp.Channel,
  ) {}

  static async open(amqpUrl: string, exchange: string, queue: string, pattern = '#'): Promise<EventTap> {
    const conn = await amqp.connect(amqpUrl);
    conn.on('error', () => undefined); // a test may stop the broker under us
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await ch.assertExchange(exchange, 'topic', { durable: true });
    await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue(queue, exchange, pattern);
    const tap = new EventTap(conn, ch);
    await ch.consume(queue, (msg) => {
      if (!msg) return;
      tap.received.push({
        envelope: JSON.parse(msg.content.toString('utf8')),
        redelivered: msg.fields.redelivered,
        routingKey: msg.fields.routingKey,
      });
      ch.ack(msg);
    });
    return tap;
  }

  async close(): Promise<void> {
    await this.ch.close().catch(() => undefined);
    await this.conn.close().catch(() => undefined);
  }
}
