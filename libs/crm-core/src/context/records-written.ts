import { Injectable } from '@nestjs/common';
import { Envelope, PartyRole } from '@tradelane/contracts';
import { eventSourceKey, sourceKey } from './latest-by-key.util';
import { UnitOfWork } from './unit-of-work';

/** The kinds of record the CRM core writes, as the features that follow writes know them. */
export type RecordKind =
  'order' | 'invoice' | 'interaction' | 'inventory-count' | 'delivery' | 'case' | 'customer' | 'stock';

/** A parent a record may name before it exists. */
export type ReferenceKind = 'customer' | 'order';

/** One reference a child record makes (checked until its parent exists, then dead-lettered). */
export interface Reference {
  field: string;
  kind: ReferenceKind;
  source: string;
  externalId: string;
}

/** The references one written record makes, with the event that won (kept whole for a dead letter). */
export interface ChildReferences {
  envelope: Envelope;
  externalId: string;
  refs: Reference[];
}

/** The party roles of one written order or delivery (the ordering customer is on the row already). */
export interface SubjectParties {
  subjectId: string;
  tenant: string;
  /** A new subject has no links to replace. */
  created: boolean;
  parties: { role: PartyRole; source: string; externalId: string }[];
}

/** Records a feature just changed, in the transaction that changed them. */
export interface RecordsChange {
  kind: RecordKind;
  /** The rows changed (for a customer: the unified customers). */
  rows: { tenant: string; id: string }[];
  /** Source records seen for the first time: records that named them before are linked now. */
  arrived?: { tenant: string; source: string; externalId: string }[];
  /** The references the changed rows make. */
  references?: ChildReferences[];
  /** The party roles of the changed rows (orders, deliveries). */
  parties?: SubjectParties[];
}

/** What follows a change, in the writer's transaction (references, party links, KPI marks...). */
export interface RecordsWrittenListener {
  onRecordsWritten(uow: UnitOfWork, change: RecordsChange): Promise<void>;
}

/**
 * The in-transaction "records written" hook: a feature that changes records tells it once, and the
 * features that follow writes (references, party links, KPIs) subscribe, instead of every writer
 * calling each of them by hand and importing their features. Listeners run in the order they
 * subscribed, in the same transaction.
 */
@Injectable()
export class RecordsWritten {
  private readonly listeners: RecordsWrittenListener[] = [];

  subscribe(listener: RecordsWrittenListener): void {
    if (!this.listeners.includes(listener)) this.listeners.push(listener);
  }

  async publish(uow: UnitOfWork, change: RecordsChange): Promise<void> {
    if (!change.rows.length && !change.arrived?.length) return;
    for (const l of this.listeners) await l.onRecordsWritten(uow, change);
  }

  /** {@link publish} for records of one tenant known by id (a case changed, customers merged). */
  changed(uow: UnitOfWork, kind: RecordKind, tenant: string, ids: string[]): Promise<void> {
    return this.publish(uow, { kind, rows: [...new Set(ids)].map((id) => ({ tenant, id })) });
  }
}

/** The customer reference of each written record that names its customer, with its winning event. */
export function customerReferences(
  latest: Envelope<{ externalId: string; customerExternalId: string; customerSource?: string }>[],
  written: { tenant: string; source: string; externalId: string }[],
): ChildReferences[] {
  const byKey = new Map(latest.map((e) => [eventSourceKey(e), e]));
  return written.map((w) => {
    const e = byKey.get(sourceKey(w.tenant, w.source, w.externalId)) as (typeof latest)[number];
    return {
      envelope: e,
      externalId: w.externalId,
      refs: [
        {
          field: 'payload.customerExternalId',
          kind: 'customer',
          source: e.payload.customerSource ?? e.source,
          externalId: e.payload.customerExternalId,
        },
      ],
    };
  });
}
