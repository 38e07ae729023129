import { Envelope } from '@tradelane/contracts';
import { EntityManager } from 'typeorm';

/**
 * The context every write takes first: the open transaction, and a way to emit events in that same
 * transaction (outbox). A bus handler's BusContext is one; the domain's TransactionRunner makes one
 * for HTTP writes. The one definition: the CRM core and the connector host both write through it.
 */
export interface UnitOfWork {
  readonly tx: EntityManager;
  /** True on the backfill lane: history being reloaded (facts and KPIs yes; cases, pages and announcements no). */
  readonly replaysHistory?: boolean;
  /** To the outbox, relayed to `exchange` (default tradelane.events) after commit. */
  emit(envelopes: Envelope[], exchange?: string): Promise<void>;
  /**
   * Counts versions that arrived older than the one stored (processed, no effect): counted after
   * commit in `tradelane_versions_superseded_total{consumer,record}`, so a source whose clock runs
   * ahead, or an event time far in the future pinning a record, shows on a dashboard.
   */
  countSuperseded?(record: string, count: number): void;
}
