import { Injectable } from '@nestjs/common';
import { Envelope, StockLevelChangedV1 } from '@tradelane/contracts';
import { EntityManager } from 'typeorm';

export interface HeldLevel {
  quantity: string;
  snapshot_at: Date | null;
  as_of: Date;
}

/** The stock feature's tables: current levels (crm_stock_level) and every event (crm_stock_movement). */
@Injectable()
export class StockRepository {
  async seen(tx: EntityManager, messageId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT 1 FROM crm_stock_movement WHERE message_id = $1`, [
      messageId,
    ]);
    return rows.length > 0;
  }

  /** The level held for the key (tenant, source, customer record, warehouse, SKU, lot, status), locked. */
  async level(tx: EntityManager, key: string[]): Promise<HeldLevel | undefined> {
    const [held]: HeldLevel[] = await tx.query(
      `SELECT quantity, snapshot_at, as_of FROM crm_stock_level
        WHERE tenant = $1 AND source = $2 AND customer_source = $3 AND customer_external_id = $4
          AND warehouse = $5 AND sku = $6 AND lot = $7 AND status = $8 FOR UPDATE`,
      key,
    );
    return held;
  }

  async setLevel(
    tx: EntityManager,
    key: string[],
    quantity: number,
    unit: string | undefined,
    snapshotAt: string | null,
    asOf: string,
  ): Promise<string> {
    const [row] = (await tx.query(
      `INSERT INTO crm_stock_level AS l (tenant, source, customer_source, customer_external_id, warehouse, sku, lot, status,
                                        quantity, unit, snapshot_at, as_of)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (tenant, source, customer_source, customer_external_id, warehouse, sku, lot, status) DO UPDATE
          SET quantity = EXCLUDED.quantity, unit = coalesce(EXCLUDED.unit, l.unit),
              snapshot_at = coalesce(EXCLUDED.snapshot_at, l.snapshot_at),
              as_of = greatest(l.as_of, EXCLUDED.as_of), updated_at = now()
       RETURNING id`,
      [...key, quantity, unit ?? null, snapshotAt, asOf],
    )) as { id: string }[];
    return row.id;
  }

  async addMovement(
    tx: EntityManager,
    e: Envelope<StockLevelChangedV1>,
    customerSource: string,
    levelAfter: number,
    applied: boolean,
  ): Promise<void> {
    const p = e.payload;
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
        customerSource,
        p.customerExternalId,
        p.warehouse,
        p.sku,
        p.lot ?? '',
        p.status,
        p.quantity ?? null,
        p.change ?? null,
        levelAfter,
        applied,
        p.reason,
        p.sourceReason ?? null,
        p.asOf,
      ],
    );
  }
}
