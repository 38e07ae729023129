import { Envelope } from '@tradelane/contracts';
import { detachedFromDatabase } from '@tradelane/persistence';
import { randomUUID } from 'node:crypto';
import {
  DeadLetterDelivery,
  DeadLetterListener,
  Delivery,
  DeliveryListener,
  envelopeToRaw,
  headerNumber,
  MessageBus,
  RawMessage,
} from '../bus.port';
import { FailureReason } from '../errors';
import { topicMatches } from '../topic-matcher';
import { ConsumerSpec, HEADER } from '../topology';

interface Queue {
  spec: ConsumerSpec;
  listener?: DeliveryListener;
  buffer: RawMessage[];
  inFlight: number;
}

const REQUEUE_DELAY_MS = 500;

/**
 * In-process bus with RabbitMQ's semantics (topic bindings, per-consumer queues with prefetch,
 * retries after delays, a dead-letter queue) for the embedded default and unit tests. Messages
 * live in memory: what is queued when the process stops is gone, which is why production uses
 * RabbitMQ. Deliveries are asynchronous (like a broker), so a publisher never runs a handler inline.
 */
export class InProcessBus implements MessageBus {
  readonly kind = 'in-process' as const;
  private readonly queues = new Map<string, Queue>();
  private readonly deadLetters: DeadLetterDelivery[] = [];
  private deadLetterListener?: DeadLetterListener;
  private readonly timers = new Set<NodeJS.Timeout>();
  private consuming = true;

  async connect(): Promise<void> {}

  publish(exchange: string, envelope: Envelope): Promise<void> {
    return this.publishRaw(exchange, envelopeToRaw(envelope));
  }

  async publishRaw(exchange: string, message: RawMessage): Promise<void> {
    for (const q of this.queues.values()) {
      if (q.spec.exchange === exchange && q.spec.bindings.some((b) => topicMatches(b, message.routingKey))) {
        this.enqueue(q, { ...message, headers: { ...message.headers } });
      }
    }
  }

  async sendToConsumer(consumer: string, message: RawMessage): Promise<void> {
    const q = this.queues.get(consumer);
    if (!q) throw new Error(`no consumer named ${consumer}`);
    this.enqueue(q, message);
  }

  /** Declares the queue at once (messages published from now on are kept), then starts delivering. */
  async consume(spec: ConsumerSpec, listener: DeliveryListener): Promise<void> {
    const q = this.declare(spec);
    q.listener = listener;
    this.pump(q);
  }

  declare(spec: ConsumerSpec): Queue {
    let q = this.queues.get(spec.name);
    if (!q) {
      q = { spec, buffer: [], inFlight: 0 };
      this.queues.set(spec.name, q);
    }
    return q;
  }

  async consumeDeadLetters(listener: DeadLetterListener): Promise<void> {
    this.deadLetterListener = listener;
    for (const d of this.deadLetters.splice(0)) listener(d);
  }

  async stopConsuming(): Promise<void> {
    this.consuming = false;
  }

  isConnected(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.consuming = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Nothing queued, nothing in flight, no retry pending: every published message has been settled. */
  isIdle(): boolean {
    if (this.timers.size) return false;
    for (const q of this.queues.values()) if (q.buffer.length || q.inFlight) return false;
    return true;
  }

  /** Messages waiting (not in flight) per consumer: for tests and the embedded health page. */

  depth(consumer: string): number {
    return this.queues.get(consumer)?.buffer.length ?? 0;
  }

  private enqueue(q: Queue, message: RawMessage, front = false): void {
    if (front) q.buffer.unshift(message);
    else q.buffer.push(message);
    queueMicrotask(() => this.pump(q));
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private pump(q: Queue): void {
    // A delivery is new work, not part of the database section of whoever published or settled.
    detachedFromDatabase(() => this.deliverWaiting(q));
  }

  private deliverWaiting(q: Queue): void {
    while (this.consuming && q.listener && q.buffer.length && q.inFlight < q.spec.prefetch) {
      const message = q.buffer.shift() as RawMessage;
      q.inFlight++;
      q.listener(this.toDelivery(q, message));
    }
  }

  private toDelivery(q: Queue, message: RawMessage): Delivery {
    const attempt = headerNumber(message.headers, HEADER.attempt, 1);
    let settled = false;
    const settle = () => {
      if (settled) throw new Error('delivery settled twice');
      settled = true;
      q.inFlight--;
      queueMicrotask(() => this.pump(q));
    };
    return {
      ...message,
      consumer: q.spec.name,
      attempt,
      redriven: !!message.headers[HEADER.redriven],
      ack: settle,
      requeue: () => {
        settle();
        this.later(REQUEUE_DELAY_MS, () => this.enqueue(q, message, true));
      },
      retry: async (delayMs: number) => {
        settle();
        const next = { ...message, headers: { ...message.headers, [HEADER.attempt]: attempt + 1 } };
        this.later(delayMs, () => this.enqueue(q, next));
      },
      deadLetter: async (reason: FailureReason) => {
        settle();
        const dead: DeadLetterDelivery = {
          ...message,
          deliveryId: randomUUID(),
          consumer: q.spec.name,
          attempts: attempt,
          reason,
          ack: () => undefined,
          requeue: () => this.later(REQUEUE_DELAY_MS, () => this.deadLetterListener?.(dead)),
        };
        if (this.deadLetterListener) this.deadLetterListener(dead);
        else this.deadLetters.push(dead);
      },
    };
  }
}
