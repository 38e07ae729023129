import { Injectable, OnModuleInit } from '@nestjs/common';
import { PartnerService } from '@tradelane/access';
import { createEnvelope, MessageType, SharedResource } from '@tradelane/contracts';
import {
  RecordKind,
  RecordsChange,
  RecordsWritten,
  RecordsWrittenListener,
} from '../context/records-written';
import { UnitOfWork } from '../context/unit-of-work';

/** Which records partners are told about, and as which event. */
const SHARED: Partial<Record<RecordKind, { resource: SharedResource; type: MessageType }>> = {
  order: { resource: 'orders', type: 'crm.order.changed.v1' },
  delivery: { resource: 'shipments', type: 'crm.shipment.changed.v1' },
  invoice: { resource: 'invoices', type: 'crm.invoice.changed.v1' },
  case: { resource: 'cases', type: 'crm.case.updated.v1' },
  stock: { resource: 'stock', type: 'crm.stock.changed.v1' },
};

/** How long "this tenant has partners" is believed (a new partner hears of changes after this). */
const PARTNERS_KNOWN_FOR_MS = 10_000;

/**
 * Tells partner subscriptions (webhooks, EDI partners) that a record they may share was written:
 * one `crm.<record>.changed.v1` per record, in the writer's transaction (the outbox), carrying only
 * the id: each receiver reads the record as its partner may see it. A tenant without partner
 * organisations emits nothing (ingestion pays nothing for a feature nobody uses).
 */
@Injectable()
export class PartnerFeed implements RecordsWrittenListener, OnModuleInit {
  private readonly partnersOf = new Map<string, { any: boolean; until: number }>();

  constructor(
    private readonly written: RecordsWritten,
    private readonly partners: PartnerService,
  ) {}

  onModuleInit(): void {
    this.written.subscribe(this);
  }

  async onRecordsWritten(uow: UnitOfWork, change: RecordsChange): Promise<void> {
    const shared = SHARED[change.kind];
    if (!shared || !change.rows.length || uow.replaysHistory) return;
    const tenants = [...new Set(change.rows.map((r) => r.tenant))];
    const sharing = new Set<string>();
    for (const t of tenants) if (await this.hasPartners(t)) sharing.add(t);
    const rows = change.rows.filter((r) => sharing.has(r.tenant));
    if (!rows.length) return;
    await uow.emit(
      rows.map((r) =>
        createEnvelope({
          type: shared.type,
          source: 'crm',
          tenant: r.tenant,
          key: r.id,
          payload: { resource: shared.resource, recordId: r.id },
        }),
      ),
    );
  }

  private async hasPartners(tenant: string): Promise<boolean> {
    const known = this.partnersOf.get(tenant);
    if (known && known.until > Date.now()) return known.any;
    const any = await this.partners.anyActive(tenant);
    this.partnersOf.set(tenant, { any, until: Date.now() + PARTNERS_KNOWN_FOR_MS });
    return any;
  }
}
