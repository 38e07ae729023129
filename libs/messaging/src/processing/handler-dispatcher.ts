import { Envelope } from '@tradelane/contracts';
import { BusContext } from './bus.context';

/** A handler found for a message type; `batch` handlers receive every message of a run at once. */
export interface ResolvedHandler {
  /** Stable identity (the handler's pattern), used to group consecutive messages into one batch call. */
  id: string;
  batch: boolean;
  invoke(data: Envelope<object> | Envelope<object>[], ctx: BusContext): Promise<void>;
}

/** Finds the handlers of a consumer for a message type (registry, never a `switch`). */
export interface HandlerDispatcher {
  resolve(consumer: string, type: string): ResolvedHandler[];
}
