import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  RecordKind,
  RecordsChange,
  RecordsWritten,
  RecordsWrittenListener,
} from '../context/records-written';
import { UnitOfWork } from '../context/unit-of-work';

type Runner = Pick<EntityManager, 'query'>;
export type DirtyKind = Exclude<RecordKind, 'interaction'>;

/** Record kinds whose facts feed KPIs (an interaction does not); a customer's values follow its records. */
const KPI_KINDS = new Set<RecordKind>([
  'delivery',
  'order',
  'invoice',
  'inventory-count',
  'case',
  'customer',
]);

/**
 * The KPI feature's marks on changed records (table crm_kpi_dirty): written in the transaction that
 * changed them, drained by the refresh. The only code that writes the table; other features reach it
 * through the RecordsWritten hook.
 */
@Injectable()
export class KpiMarks implements RecordsWrittenListener, OnModuleInit {
  constructor(private readonly written: RecordsWritten) {}

  onModuleInit(): void {
    this.written.subscribe(this);
  }

  async onRecordsWritten(uow: UnitOfWork, change: RecordsChange): Promise<void> {
    if (KPI_KINDS.has(change.kind)) await this.markWritten(uow.tx, change.kind as DirtyKind, change.rows);
  }

  /** Marks records whose facts must be derived again; call in the transaction that changed them. */
  private async markDirty(tx: Runner, tenant: string, kind: DirtyKind, ids: string[]): Promise<void> {
    if (!ids.length) return;
    await tx.query(
      `INSERT INTO crm_kpi_dirty (subject_kind, subject_id, tenant)
       SELECT $1, id, $2 FROM unnest($3::uuid[]) AS id ON CONFLICT DO NOTHING`,
      [kind, tenant, [...new Set(ids)]],
    );
  }

  /** {@link markDirty} for rows of any tenants (what an upsert wrote). */
  private async markWritten(
    tx: Runner,
    kind: DirtyKind,
    rows: { tenant: string; id: string }[],
  ): Promise<void> {
    for (const tenant of new Set(rows.map((r) => r.tenant)))
      await this.markDirty(
        tx,
        tenant,
        kind,
        rows.filter((r) => r.tenant === tenant).map((r) => r.id),
      );
  }
}
