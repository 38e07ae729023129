import { Injectable } from '@nestjs/common';
import { AppError, runScoped } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { SourceRecordsReader } from './customer/source-records.repository';
import { PARTNER_RESOURCES, PartnerResourceName, visibleFields } from './partner-view/partner-resources';
import { PartnerViewRepository } from './partner-view/partner-view.repository';

/**
 * The CRM as the connector host may ask it (its CrmRecordsPort): the source records (customer
 * feature) and, for partner sharing, the records as one partner may see them (partner view, read
 * in a transaction set to that partner, so the database decides).
 */
@Injectable()
export class CrmRecordsAdapter extends SourceRecordsReader {
  constructor(
    private readonly view: PartnerViewRepository,
    db: Database,
  ) {
    super(db);
  }

  /** The partner's customers with the source records they are known by. */
  async partnerCustomers(
    tenant: string,
    partnerId: string,
  ): Promise<{ id: string; name: string; records: { source: string; externalId: string }[] }[]> {
    const customers = (await runScoped(tenant, () => this.view.customers(), partnerId)) as {
      id: string;
      name: string;
    }[];
    const records = await this.recordsOf(
      tenant,
      customers.map((c) => c.id),
    );
    return customers.map((c) => ({
      id: c.id,
      name: c.name,
      records: records
        .filter((r) => r.customerId === c.id)
        .map((r) => ({ source: r.source, externalId: r.externalId })),
    }));
  }

  /**
   * A record as the partner API shows it to a credential of `partnerId` with `scopes`, or null when
   * the partner may not see it (or it does not exist, or the scopes do not reach the resource).
   */
  async partnerRecord(
    tenant: string,
    partnerId: string,
    resource: string,
    id: string,
    scopes: readonly string[],
  ): Promise<Record<string, unknown> | null> {
    if (!(resource in PARTNER_RESOURCES)) return null;
    const name = resource as PartnerResourceName;
    const permissions = new Set(scopes);
    if (!permissions.has(PARTNER_RESOURCES[name].read)) return null;
    try {
      return await runScoped(
        tenant,
        () => this.view.get(name, id, visibleFields(name, permissions)),
        partnerId,
      );
    } catch (e) {
      if (e instanceof AppError && e.kind === 'not-found') return null;
      throw e;
    }
  }
}
