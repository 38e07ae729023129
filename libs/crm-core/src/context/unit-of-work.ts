import { Envelope } from '@tradelane/contracts';
import { EntityManager } from 'typeorm';

/**
 * The context every write in the core takes first: the open transaction, and a way to emit
 * outbound events in that same transaction (outbox). The messaging layer's BusContext is one.
 */
export interface UnitOfWork {
  readonly tx: EntityManager;
  /** True on the backfill lane: history being reloaded (facts and KPIs yes; cases, pages and announcements no). */
  readonly replaysHistory?: boolean;
  /** To the outbox, relayed to `exchange` (default tradelane.events) after commit. */
  emit(envelopes: Envelope[], exchange?: string): Promise<void>;
}
