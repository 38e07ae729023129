import { Envelope } from '@tradelane/contracts';
import { FailureReason } from './errors';
import { ConsumerSpec } from './topology';

export const MESSAGE_BUS = Symbol('MESSAGE_BUS');

/** A message as it travels: bytes (possibly not even JSON) plus transport metadata. */
export interface RawMessage {
  body: Buffer;
  routingKey: string;
  headers: Record<string, unknown>;
  messageId?: string;
}

/**
 * One delivery of a message to one consumer. Exactly one of ack / retry / deadLetter / requeue is
 * called, and only after the database work for it has committed (or been abandoned).
 */
export interface Delivery extends RawMessage {
  consumer: string;
  /** 1 on first delivery; counts retries, reset to 1 by a redrive. */
  attempt: number;
  redriven: boolean;
  ack(): void;
  /** Schedules attempt `attempt + 1` after `delayMs` (delay queue), then acks this delivery. */
  retry(delayMs: number, reason: FailureReason): Promise<void>;
  /** Sends the message to the dead-letter queue with its reason, then acks this delivery. */
  deadLetter(reason: FailureReason): Promise<void>;
  /** Hands the message back without using an attempt (the database is down, the worker is stopping). */
  requeue(): void;
}

export type DeliveryListener = (delivery: Delivery) => void;

/** A message that reached the dead-letter queue, with the reason it carries. */
export interface DeadLetterDelivery extends RawMessage {
  /**
   * Names this act of dead-lettering (not the message): the store appends one row per value, so a
   * reused message id never overwrites an earlier dead letter and a DLQ redelivery is stored once.
   */
  deliveryId: string;
  consumer: string;
  attempts: number;
  reason: FailureReason;
  ack(): void;
  requeue(): void;
}

export type DeadLetterListener = (delivery: DeadLetterDelivery) => void;

/**
 * The bus port (STYLE.md rule 19): RabbitMQ in production, in-process for the embedded default and
 * unit tests. Both keep the same semantics: topic routing, per-consumer queues, retries through
 * delays, a dead-letter queue.
 */
export interface MessageBus {
  readonly kind: 'rabbitmq' | 'in-process';
  connect(): Promise<void>;
  /** Resolves once the broker has confirmed the message (publisher confirms). */
  publish(exchange: string, envelope: Envelope): Promise<void>;
  /** Publishes raw bytes (a partner payload, a malformed message in a test) to an exchange. */
  publishRaw(exchange: string, message: RawMessage): Promise<void>;
  /** Puts a message straight onto one consumer's queue (redrive), bypassing other consumers. */
  sendToConsumer(consumer: string, message: RawMessage): Promise<void>;
  consume(spec: ConsumerSpec, listener: DeliveryListener): Promise<void>;
  consumeDeadLetters(listener: DeadLetterListener): Promise<void>;
  /** Stops taking new deliveries; in-flight ones can still be acked. */
  stopConsuming(): Promise<void>;
  isConnected(): boolean;
  /** While not connected: why (login refused, vhost refused, connection refused, TLS...), for logs and /health. */
  connectionProblem?(): { code: string; message: string } | undefined;
  close(): Promise<void>;
}

export function envelopeToRaw(envelope: Envelope, headers: Record<string, unknown> = {}): RawMessage {
  return {
    body: Buffer.from(JSON.stringify(envelope)),
    routingKey: envelope.type,
    headers,
    messageId: envelope.id,
  };
}

export function headerNumber(headers: Record<string, unknown>, name: string, fallback: number): number {
  const v = Number(headers[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export function headerString(headers: Record<string, unknown>, name: string): string | null {
  const v = headers[name];
  if (v === undefined || v === null) return null;
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}
