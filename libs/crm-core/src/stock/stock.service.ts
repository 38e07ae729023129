import { Controller, Injectable } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope, StockLevelChangedV1 } from '@tradelane/contracts';
import { BusContext, HandlerExtras } from '@tradelane/messaging';
import { EntityManager } from 'typeorm';
import { lockKeys } from '../context/advisory-lock.util';
import { RecordsWritten } from '../context/records-written';
import { UnitOfWork } from '../context/unit-of-work';
import { StockRepository } from './stock.repository';

/**
 * A customer's stock at the warehouses: each event is kept in the history; a level reported as
 * such replaces the current one unless an even newer level is held; a change applies to the level
 * unless it is older than the last level reported (which counts it already). Events of one key are
 * taken in event-time order, under a row lock: redeliveries and concurrent consumers agree.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly store: StockRepository,
    private readonly recordsWritten: RecordsWritten,
  ) {}

  async changed(uow: UnitOfWork, events: Envelope<StockLevelChangedV1>[]): Promise<void> {
    const ordered = [...events].sort(
      (a, b) => a.payload.asOf.localeCompare(b.payload.asOf) || a.id.localeCompare(b.id),
    );
    // One key at a time across consumers: a level not held yet has no row to lock.
    await lockKeys(
      uow.tx,
      ordered.map((e) => `stock:${JSON.stringify(keyOf(e))}`),
    );
    const changed = new Map<string, string[]>();
    for (const e of ordered) {
      const id = await this.apply(uow.tx, e);
      if (id) changed.set(e.tenant, [...(changed.get(e.tenant) ?? []), id]);
    }
    for (const [tenant, ids] of changed) await this.recordsWritten.changed(uow, 'stock', tenant, ids);
  }

  /** Applies one event; the level's id when it moved. */
  private async apply(tx: EntityManager, e: Envelope<StockLevelChangedV1>): Promise<string | undefined> {
    const p = e.payload;
    const key = keyOf(e);
    if (await this.store.seen(tx, e.id)) return undefined;
    const held = await this.store.level(tx, key);
    const at = new Date(p.asOf);
    const snapshot = held?.snapshot_at ? new Date(held.snapshot_at) : null;
    const current = held ? Number(held.quantity) : 0;
    let applied: boolean;
    let after: number;
    if (p.quantity !== undefined) {
      applied = !snapshot || at >= snapshot;
      after = applied ? p.quantity : current;
    } else {
      applied = !snapshot || at > snapshot;
      after = applied ? current + (p.change ?? 0) : current;
    }
    const id = applied
      ? await this.store.setLevel(tx, key, after, p.unit, p.quantity !== undefined ? p.asOf : null, p.asOf)
      : undefined;
    await this.store.addMovement(tx, e, key[2], after, applied);
    return id;
  }
}

/** The level an event is about: tenant, source, customer record, warehouse, SKU, lot, status. */
function keyOf(e: Envelope<StockLevelChangedV1>): string[] {
  const p = e.payload;
  return [
    e.tenant,
    e.source,
    p.customerSource ?? e.source,
    p.customerExternalId,
    p.warehouse,
    p.sku,
    p.lot ?? '',
    p.status,
  ];
}

@Controller()
export class StockHandler {
  constructor(private readonly stock: StockService) {}

  @EventPattern<string>('*.stock.level-changed.v1', { batch: true } satisfies HandlerExtras)
  changed(@Payload() events: Envelope<StockLevelChangedV1>[], @Ctx() ctx: BusContext): Promise<void> {
    return this.stock.changed(ctx, events);
  }
}
