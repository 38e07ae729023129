import { Controller, Injectable } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Envelope, StockLevelChangedV1 } from '@tradelane/contracts';
import { BusContext, HandlerExtras } from '@tradelane/messaging';
import { EntityManager } from 'typeorm';
import { lockKeys } from '../context/advisory-lock.util';
import { UnitOfWork } from '../context/unit-of-work';

interface Level {
  quantity: string;
  snapshot_at: Date | null;
  as_of: Date;
}

/**
 * A customer's stock at the warehouses: each event is kept in the history; a level reported as
 * such replaces the current one unless an even newer level is held; a change applies to the level
 * unless it is older than the last level reported (which counts it already). Events of one key are
 * taken in event-time order, under a row lock: redeliveries and concurrent consumers agree.
 */
@Injectable()
export class StockService {
  async changed(uow: UnitOfWork, events: Envelope<StockLevelChangedV1>[]): Promise<void> {
    const ordered = [...events].sort(
      (a, b) => a.payload.asOf.localeCompare(b.payload.asOf) || a.id.localeCompare(b.id),
    );
    // One key at a time across consumers: a level not held yet has no row to lock.
    await lockKeys(
      uow.tx,
      ordered.map((e) => `stock:${JSON.stringify(keyOf(e))}`),
    );
    for (const e of ordered) await this.apply(uow.tx, e);
  }

  private async apply(tx: EntityManager, e: Envelope<StockLevelChangedV1>): Promise<void> {
    const p = e.payload;
    const key = keyOf(e);
    const seen: unknown[] = await tx.query(`SELECT 1 FROM crm_stock_movement WHERE message_id = $1`, [e.id]);
    if (seen.length) return;
    const [held]: Level[] = await tx.query(
      `SELECT quantity, snapshot_at, as_of FROM crm_stock_level
        WHERE tenant = $1 AND source = $2 AND customer_source = $3 AND customer_external_id = $4
          AND warehouse = $5 AND sku = $6 AND lot = $7 AND status = $8 FOR UPDATE`,
      key,
    );
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
    if (applied)
      await tx.query(
        `INSERT INTO crm_stock_level AS l (tenant, source, customer_source, customer_external_id, warehouse, sku, lot, status,
                                          quantity, unit, snapshot_at, as_of)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (tenant, source, customer_source, customer_external_id, warehouse, sku, lot, status) DO UPDATE
            SET quantity = EXCLUDED.quantity, unit = coalesce(EXCLUDED.unit, l.unit),
                snapshot_at = coalesce(EXCLUDED.snapshot_at, l.snapshot_at),
                as_of = greatest(l.as_of, EXCLUDED.as_of), updated_at = now()`,
        [...key, after, p.unit ?? null, p.quantity !== undefined ? p.asOf : null, p.asOf],
      );
    await tx.query(
      `INSERT INTO crm_stock_movement (message_id, tenant, source, external_id, customer_source, customer_external_id,
                                       warehouse, sku, lot, status, quantity, change, level_after, applied, reason,
                                       source_reason, as_of)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        e.id,
        e.tenant,
        e.source,
        p.externalId,
        key[2],
        p.customerExternalId,
        p.warehouse,
        p.sku,
        p.lot ?? '',
        p.status,
        p.quantity ?? null,
        p.change ?? null,
        after,
        applied,
        p.reason,
        p.sourceReason ?? null,
        p.asOf,
      ],
    );
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
