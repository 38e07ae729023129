import { Logger } from '@nestjs/common';
import { Envelope } from '@tradelane/contracts';
import amqp, { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { createHash, randomUUID } from 'node:crypto';
import {
  DeadLetterListener,
  Delivery,
  DeliveryListener,
  envelopeToRaw,
  headerNumber,
  headerString,
  MessageBus,
  RawMessage,
} from '../bus.port';
import { FailureReason } from '../errors';
import {
  BACKFILL_EXCHANGE,
  ConsumerSpec,
  DEAD_LETTER_EXCHANGE,
  DEAD_LETTER_QUEUE,
  EVENTS_EXCHANGE,
  HEADER,
  INBOUND_EXCHANGE,
  queueName,
  retryQueueName,
} from '../topology';
import { AckCoalescer } from './ack-coalescer';
import { BrokerProblem, describeBrokerError } from './broker-problem.util';

export interface RabbitMqOptions {
  url: string;
  /** How long a publish may wait for a connection and a confirm before it fails. */
  publishTimeoutMs?: number;
  heartbeatSeconds?: number;
}

const QUORUM: Options.AssertQueue = {
  durable: true,
  // Messages the broker itself gives up on (delivery limit) still end in the dead-letter store.
  arguments: { 'x-queue-type': 'quorum', 'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE },
};

interface ActiveConsumer {
  wrapper: ChannelWrapper;
  tag?: string;
  channel?: ConfirmChannel;
}

/**
 * RabbitMQ adapter on amqplib through amqp-connection-manager (reconnects and re-runs the topology
 * set-up on every new channel). Publishes on a confirm channel; consumes with manual ack; every
 * ack goes to the channel the message came on (after a reconnect, a stale delivery is simply not
 * acked and the broker redelivers it: the inbox makes that harmless).
 */
export class RabbitMqBus implements MessageBus {
  readonly kind = 'rabbitmq' as const;
  private readonly logger = new Logger(RabbitMqBus.name);
  private connection?: AmqpConnectionManager;
  private publisher?: ChannelWrapper;
  /** The publisher's current confirm channel; undefined while disconnected. */
  private publishChannel?: ConfirmChannel;
  private readonly consumers: ActiveConsumer[] = [];
  private stopping = false;
  /** Why the broker cannot be used right now (undefined while connected or before the first try). */
  private problem?: BrokerProblem;

  constructor(private readonly options: RabbitMqOptions) {}

  connectionProblem(): BrokerProblem | undefined {
    return this.isConnected() ? undefined : this.problem;
  }

  /** Logged once per distinct cause, not at every reconnect attempt. */
  private noteProblem(err: unknown, what: string): void {
    const problem = describeBrokerError(err);
    if (problem.code !== this.problem?.code)
      this.logger.warn(`RabbitMQ ${what}: ${problem.message} [${problem.code}]; retrying every second`);
    this.problem = problem;
  }

  async connect(): Promise<void> {
    if (this.connection) return;
    this.connection = amqp.connect([this.options.url], {
      heartbeatIntervalInSeconds: this.options.heartbeatSeconds ?? 10,
      reconnectTimeInSeconds: 1,
    });
    this.connection.on('connect', () => {
      this.problem = undefined;
      this.logger.log('connected to RabbitMQ');
    });
    this.connection.on('connectFailed', ({ err }) => this.noteProblem(err, 'connection failed'));
    this.connection.on('disconnect', ({ err }) =>
      this.noteProblem(err ?? new Error('Connection closed'), 'connection lost'),
    );
    this.publisher = this.connection.createChannel({
      name: 'publisher',
      confirm: true,
      setup: async (ch: ConfirmChannel) => {
        await RabbitMqBus.declareTopology(ch);
        this.publishChannel = ch;
        ch.once('close', () => {
          if (this.publishChannel === ch) this.publishChannel = undefined;
        });
      },
    });
    await this.publisher.waitForConnect();
  }

  /** Exchanges and the dead-letter queue; consumer queues are declared by each consumer. */
  static async declareTopology(ch: ConfirmChannel): Promise<void> {
    await ch.assertExchange(INBOUND_EXCHANGE, 'topic', { durable: true });
    await ch.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
    await ch.assertExchange(BACKFILL_EXCHANGE, 'topic', { durable: true });
    await ch.assertExchange(DEAD_LETTER_EXCHANGE, 'fanout', { durable: true });
    await ch.assertQueue(DEAD_LETTER_QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, '');
  }

  publish(exchange: string, envelope: Envelope): Promise<void> {
    return this.publishRaw(exchange, envelopeToRaw(envelope));
  }

  publishRaw(exchange: string, message: RawMessage): Promise<void> {
    return this.send(exchange, message.routingKey, message.body, this.properties(message));
  }

  sendToConsumer(consumer: string, message: RawMessage): Promise<void> {
    return this.send('', queueName(consumer), message.body, this.properties(message));
  }

  /**
   * Publishes on the current confirm channel and resolves on the broker's confirm. Fails at once
   * when disconnected, and rejects every unconfirmed message when the channel closes, instead of
   * buffering and resending later (amqp-connection-manager's buffer re-queues a message that hit a
   * closed channel behind newer ones, which would break per-key order for the outbox).
   */
  /** @internal */
  send(exchange: string, routingKey: string, body: Buffer, props: Options.Publish): Promise<void> {
    const ch = this.publishChannel;
    if (!ch) return Promise.reject(new BrokerUnavailableError('not connected to RabbitMQ'));
    const timeoutMs = this.options.publishTimeoutMs ?? 10_000;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new BrokerUnavailableError(`no confirm within ${timeoutMs} ms`)),
        timeoutMs,
      );
      try {
        ch.publish(exchange, routingKey, body, props, (err) => {
          clearTimeout(timer);
          if (err) reject(new BrokerUnavailableError(`publish not confirmed: ${err.message}`));
          else resolve();
        });
      } catch (err) {
        clearTimeout(timer);
        reject(new BrokerUnavailableError(`publish failed: ${(err as Error).message}`));
      }
    });
  }

  async consume(spec: ConsumerSpec, listener: DeliveryListener): Promise<void> {
    const active: ActiveConsumer = {} as ActiveConsumer;
    const queue = queueName(spec.name);
    active.wrapper = this.requireConnection().createChannel({
      name: `consumer:${spec.name}`,
      confirm: true,
      setup: async (ch: ConfirmChannel) => {
        await RabbitMqBus.declareTopology(ch);
        await ch.assertQueue(queue, QUORUM);
        for (const pattern of spec.bindings) await ch.bindQueue(queue, spec.exchange, pattern);
        for (const delay of new Set(spec.retry.delaysMs)) {
          // Classic queue used as a timer: after `delay` the broker dead-letters the message
          // back onto the consumer's queue through the default exchange.
          await ch.assertQueue(retryQueueName(spec.name, delay), {
            durable: true,
            arguments: {
              'x-message-ttl': delay,
              'x-dead-letter-exchange': '',
              'x-dead-letter-routing-key': queue,
            },
          });
        }
        await ch.prefetch(spec.prefetch);
        if (this.stopping) return;
        const acks = new AckCoalescer(ch);
        const { consumerTag } = await ch.consume(
          queue,
          (msg) => msg && listener(new RabbitDelivery(this, ch, acks, msg, spec)),
          { noAck: false },
        );
        active.tag = consumerTag;
        active.channel = ch;
      },
    });
    this.consumers.push(active);
    await active.wrapper.waitForConnect();
  }

  async consumeDeadLetters(listener: DeadLetterListener): Promise<void> {
    const active: ActiveConsumer = {} as ActiveConsumer;
    active.wrapper = this.requireConnection().createChannel({
      name: 'consumer:dead-letters',
      setup: async (ch: ConfirmChannel) => {
        await RabbitMqBus.declareTopology(ch);
        await ch.prefetch(500);
        if (this.stopping) return;
        const { consumerTag } = await ch.consume(
          DEAD_LETTER_QUEUE,
          (msg) => {
            if (!msg) return;
            const headers = msg.properties.headers ?? {};
            const raw = this.toRaw(msg);
            listener({
              ...raw,
              deliveryId: headerString(headers, HEADER.deadLetterId) ?? brokerDeathId(raw, headers),
              consumer: headerString(headers, HEADER.consumer) ?? deathQueue(headers) ?? 'unknown',
              attempts: headerNumber(headers, HEADER.attempt, 1),
              reason: {
                code: headerString(headers, HEADER.errorCode) ?? brokerDeathCode(headers),
                message: headerString(headers, HEADER.errorMessage) ?? 'dead-lettered by the broker',
                field: headerString(headers, HEADER.errorField),
              },
              ack: () => safely(() => ch.ack(msg)),
              requeue: () => safely(() => ch.nack(msg, false, true)),
            });
          },
          { noAck: false },
        );
        active.tag = consumerTag;
        active.channel = ch;
      },
    });
    this.consumers.push(active);
    await active.wrapper.waitForConnect();
  }

  async stopConsuming(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.consumers.map(async (c) => {
        if (c.channel && c.tag) await c.channel.cancel(c.tag).catch(() => undefined);
      }),
    );
  }

  isConnected(): boolean {
    return !!this.connection?.isConnected();
  }

  async close(): Promise<void> {
    this.stopping = true;
    for (const c of this.consumers) await c.wrapper.close().catch(() => undefined);
    await this.publisher?.close().catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
    this.connection = undefined;
  }

  /** @internal */
  toRaw(msg: ConsumeMessage): RawMessage {
    const headers = { ...(msg.properties.headers ?? {}) };
    // A message coming back from a delay queue has the queue name as routing key: keep the original.
    const routingKey = headerString(headers, HEADER.routingKey) ?? msg.fields.routingKey;
    headers[HEADER.routingKey] = routingKey;
    return { body: msg.content, routingKey, headers, messageId: msg.properties.messageId ?? undefined };
  }

  /** @internal */
  properties(message: RawMessage): Options.Publish {
    return {
      persistent: true,
      contentType: 'application/json',
      messageId: message.messageId,
      headers: { ...message.headers, [HEADER.routingKey]: message.routingKey },
    };
  }

  private requireConnection(): AmqpConnectionManager {
    if (!this.connection) throw new Error('RabbitMqBus.connect() has not been called');
    return this.connection;
  }
}

/** One delivery from a consumer channel; a class, not closures, because there is one per message. */
class RabbitDelivery implements Delivery {
  readonly body: Buffer;
  readonly routingKey: string;
  readonly headers: Record<string, unknown>;
  readonly messageId?: string;
  readonly consumer: string;
  readonly attempt: number;
  readonly redriven: boolean;
  private readonly entry: ReturnType<AckCoalescer['track']>;

  constructor(
    private readonly bus: RabbitMqBus,
    private readonly ch: ConfirmChannel,
    private readonly acks: AckCoalescer,
    private readonly msg: ConsumeMessage,
    private readonly spec: ConsumerSpec,
  ) {
    const raw = bus.toRaw(msg);
    this.body = raw.body;
    this.routingKey = raw.routingKey;
    this.headers = raw.headers;
    this.messageId = raw.messageId;
    this.consumer = spec.name;
    this.attempt = headerNumber(raw.headers, HEADER.attempt, 1);
    this.redriven = !!raw.headers[HEADER.redriven];
    this.entry = acks.track(msg);
  }

  ack(): void {
    this.acks.ack(this.entry);
  }

  requeue(): void {
    this.acks.settledElsewhere(this.entry);
    safely(() => this.ch.nack(this.msg, false, true));
  }

  retry(delayMs: number): Promise<void> {
    return this.forward('', retryQueueName(this.spec.name, delayMs), {
      ...this.headers,
      [HEADER.attempt]: this.attempt + 1,
    });
  }

  deadLetter(reason: FailureReason): Promise<void> {
    return this.forward(DEAD_LETTER_EXCHANGE, this.routingKey, {
      ...this.headers,
      [HEADER.attempt]: this.attempt,
      [HEADER.consumer]: this.spec.name,
      [HEADER.deadLetterId]: randomUUID(),
      [HEADER.errorCode]: reason.code,
      [HEADER.errorMessage]: reason.message,
      ...(reason.field ? { [HEADER.errorField]: reason.field } : {}),
    });
  }

  /** Re-publishes (confirmed) then acks: a crash in between redelivers, never loses. */
  private async forward(
    exchange: string,
    routingKey: string,
    headers: Record<string, unknown>,
  ): Promise<void> {
    await this.bus.send(
      exchange,
      routingKey,
      this.body,
      this.bus.properties({
        body: this.body,
        routingKey: this.routingKey,
        messageId: this.messageId,
        headers,
      }),
    );
    this.ack();
  }
}

export class BrokerUnavailableError extends Error {
  readonly code = 'BROKER_UNAVAILABLE';
}

/** Acks/nacks on a channel that died in the meantime throw: the broker redelivers, which is safe. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    /* channel closed: the message will be redelivered */
  }
}

function deathQueue(headers: Record<string, unknown>): string | null {
  const q = headerString(headers, 'x-first-death-queue');
  return q ? q.replace(/^tradelane\./, '') : null;
}

function brokerDeathCode(headers: Record<string, unknown>): string {
  const reason = headerString(headers, 'x-first-death-reason');
  return reason ? `BROKER_${reason.toUpperCase().replace(/[^A-Z]/g, '_')}` : 'UNKNOWN';
}

/**
 * A message the broker dead-lettered by itself (expired, rejected, queue full) carries no id of
 * ours: the digest of its id, body and `x-death` history names that one death, so a DLQ redelivery
 * is stored once and a later death of the same message (its count grows) is a row of its own.
 */
function brokerDeathId(raw: RawMessage, headers: Record<string, unknown>): string {
  return `broker:${createHash('sha256')
    .update(`${raw.messageId ?? ''}\u0000${JSON.stringify(headers['x-death'] ?? null)}\u0000`)
    .update(raw.body)
    .digest('hex')}`;
}
