import { Catch, Inject, Injectable, Logger, OnModuleDestroy, RpcExceptionFilter } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { Envelope } from '@tradelane/contracts';
import {
  Database,
  DeadLetterRepository,
  InboxRepository,
  LedgerRepository,
  OutboxRepository,
} from '@tradelane/persistence';
import { isObservable, lastValueFrom, Observable, throwError } from 'rxjs';
import { MESSAGE_BUS, MessageBus } from '../bus.port';
import { DeadLetterRecorder } from '../dead-letter/dead-letter.recorder';
import { CORE_CONSUMER, MessagingConfig } from '../messaging.config';
import { MessagingMetrics } from '../messaging.metrics';
import { OutboxRelay } from '../outbox/outbox.relay';
import { BusContext } from '../processing/bus.context';
import { HandlerDispatcher, ResolvedHandler } from '../processing/handler-dispatcher';
import { MessageProcessor } from '../processing/message.processor';
import { topicMatches } from '../topic-matcher';
import { BackgroundJobs } from './background-jobs';

export const MESSAGING_CONFIG = Symbol('MESSAGING_CONFIG');

/** Options of a message handler, given as `@EventPattern(pattern, extras)` extras. */
export interface HandlerExtras {
  /** Receive every message of a run at once (`Envelope[]`) for set-based writes. */
  batch?: boolean;
  /** Consumer (queue) the handler belongs to; default `core` (the inbound exchange). */
  consumer?: string;
}

/**
 * Nest custom transport strategy (`@EventPattern('erp.order.upserted.v1')` handlers) over the
 * {@link MessageBus} port. Dispatches on the envelope `type` with topic wildcards, not on a
 * `{ pattern, data }` body, so partner systems can publish plain envelopes.
 */
@Injectable()
export class BusTransport extends Server implements CustomTransportStrategy, OnModuleDestroy {
  private readonly log = new Logger(BusTransport.name);
  private processors: MessageProcessor[] = [];
  private recorder?: DeadLetterRecorder;
  private started = false;

  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(MESSAGING_CONFIG) private readonly config: MessagingConfig,
    private readonly db: Database,
    private readonly inbox: InboxRepository,
    private readonly ledger: LedgerRepository,
    private readonly outbox: OutboxRepository,
    private readonly deadLetters: DeadLetterRepository,
    private readonly metrics: MessagingMetrics,
    private readonly relay: OutboxRelay,
    private readonly jobs: BackgroundJobs,
  ) {
    super();
  }

  listen(callback: (err?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (err) => callback(err),
    );
  }

  private async start(): Promise<void> {
    const dispatcher = new NestHandlerDispatcher(this.messageHandlers);
    this.recorder = new DeadLetterRecorder(this.db, this.deadLetters, this.ledger);
    await this.bus.consumeDeadLetters(this.recorder.listener);
    const byName = new Map<string, MessageProcessor>();
    for (const spec of [...this.config.consumers].sort(
      (a, b) => Number(!!a.handlersOf) - Number(!!b.handlersOf),
    )) {
      // A consumer running another's handlers (the backfill lane) gives way to it: it waits for that
      // one to be idle before each batch (at most a second, so it always progresses).
      const live = spec.handlersOf ? byName.get(spec.handlersOf) : undefined;
      const processor = new MessageProcessor(
        spec,
        {
          db: this.db,
          inbox: this.inbox,
          ledger: this.ledger,
          outbox: this.outbox,
          dispatcher,
          metrics: this.metrics,
          onOutboxWritten: () => this.relay.wake(),
          contracts: this.config.contracts,
          yieldTo: live
            ? () => Promise.race([live.whenIdle(), new Promise<void>((r) => setTimeout(r, 1_000).unref())])
            : undefined,
        },
        this.config.batch,
      );
      this.processors.push(processor);
      byName.set(spec.name, processor);
      await this.bus.consume(spec, processor.listener);
    }
    this.relay.start();
    this.jobs.startAll();
    this.started = true;
    this.log.log(
      `consuming ${this.config.consumers.map((c) => c.name).join(', ')} on the ${this.bus.kind} bus; ` +
        `handlers: ${[...this.messageHandlers.keys()].join(', ') || 'none'}`,
    );
  }

  /**
   * Graceful stop, run as a module-destroy hook so it happens before the database and the broker
   * close: stop taking deliveries, finish and commit the batches in flight, ack them, stop the relay.
   */
  async onModuleDestroy(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.jobs.stopAll();
    await this.bus.stopConsuming();
    await Promise.all(this.processors.map((p) => p.drain()));
    await this.recorder?.drain();
    await this.relay.stop();
    this.log.log('message consumers drained');
  }

  async close(): Promise<void> {
    await this.onModuleDestroy();
  }

  on(): void {
    throw new Error('BusTransport does not emit transport events');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}

/** Registry of Nest handlers keyed by pattern; resolution is cached per consumer and type. */
export class NestHandlerDispatcher implements HandlerDispatcher {
  private readonly cache = new Map<string, ResolvedHandler[]>();

  constructor(private readonly handlers: Map<string, MessageHandler>) {}

  resolve(consumer: string, type: string): ResolvedHandler[] {
    const cacheKey = `${consumer}\u0000${type}`;
    let found = this.cache.get(cacheKey);
    if (!found) {
      found = [];
      for (const [pattern, handler] of this.handlers) {
        const extras = (handler.extras ?? {}) as HandlerExtras;
        if ((extras.consumer ?? CORE_CONSUMER) !== consumer || !topicMatches(pattern, type)) continue;
        found.push({
          id: pattern,
          batch: !!extras.batch,
          invoke: async (data: Envelope<object> | Envelope<object>[], ctx: BusContext) => {
            const result = await handler(data, ctx);
            if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
          },
        });
      }
      this.cache.set(cacheKey, found);
    }
    return found;
  }
}

/**
 * Nest's default RPC filter swallows a handler's error into `{ status: 'error' }`. The messaging
 * layer needs the error itself (its code and disposition decide retry or dead letter).
 */
@Catch()
export class BusExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
