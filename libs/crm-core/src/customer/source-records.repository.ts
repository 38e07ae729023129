import { Injectable } from '@nestjs/common';
import { Envelope } from '@tradelane/contracts';
import { Database } from '@tradelane/persistence';

/** A source's record of a customer and the source time of the version the CRM read last. */
export interface SourceRecordVersion {
  externalId: string;
  sourceUpdatedAt: string;
}

/** Where the CRM keeps the records of each canonical type, keyed by (tenant, source, external id). */
const STORE_OF_TYPE: Record<string, string> = {
  'customer.upserted': 'crm_customer_record',
  'order.upserted': 'crm_order',
  'invoice.upserted': 'crm_invoice',
  'interaction.recorded': 'crm_interaction',
  'delivery.status-changed': 'crm_delivery',
};

/**
 * What the CRM tells the systems it is connected to about the records they sent: the keys it holds
 * (reconciliation), a customer with the source's own records of it (writing a change back), the
 * source's ids of a customer (pulling them again). The connector host reads the CRM only through
 * this (the composition binds it to the host's CRM_RECORDS port).
 */
@Injectable()
export class SourceRecordsReader {
  constructor(private readonly db: Database) {}

  async heldKeys(
    type: string,
    tenant: string,
    source: string,
    keys: string[],
  ): Promise<Set<string> | undefined> {
    const table = STORE_OF_TYPE[type];
    if (!table) return undefined;
    const rows = await this.db.sql<{ external_id: string }>(
      `SELECT external_id FROM ${table} WHERE tenant = $1 AND source = $2 AND external_id = ANY($3::text[])`,
      [tenant, source, keys],
    );
    return new Set(rows.map((r) => r.external_id));
  }

  async customerForSend(
    source: string,
    e: Envelope,
  ): Promise<{
    customer?: { id: string; fields: Record<string, string | null>; records: SourceRecordVersion[] };
    mergedRecords?: SourceRecordVersion[];
  }> {
    if (!e.type.startsWith('crm.customer.')) return {};
    const p = e.payload as {
      customerId?: string;
      survivorId?: string;
      movedIdentities?: { source: string; externalId: string }[];
    };
    const customerId = p.customerId ?? p.survivorId;
    if (!customerId) return {};
    const [c] = await this.db.sql<Record<string, string | null>>(
      `SELECT id, name, vat_id AS "vatId", email, phone, street, city, postal_code AS "postalCode", country
         FROM crm_customer WHERE id = $1`,
      [customerId],
    );
    if (!c) return {};
    const records = (ids: { externalId: string }[] | null) =>
      this.db.sql<SourceRecordVersion>(
        `SELECT external_id AS "externalId", to_char(source_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "sourceUpdatedAt"
           FROM crm_customer_record WHERE source = $1 AND ($2::text[] IS NULL OR external_id = ANY($2::text[]))
            AND ($3::uuid IS NULL OR customer_id = $3)`,
        ids ? [source, ids.map((i) => i.externalId), null] : [source, null, customerId],
      );
    const { id, ...fields } = c;
    const moved =
      e.type === 'crm.customer.merged.v1' ? (p.movedIdentities ?? []).filter((m) => m.source === source) : [];
    const mergedRecords = moved.length ? await records(moved) : [];
    const own = (await records(null)).filter(
      (r) => !mergedRecords.some((m) => m.externalId === r.externalId),
    );
    return {
      customer: { id: id as string, fields, records: own },
      ...(e.type === 'crm.customer.merged.v1' ? { mergedRecords } : {}),
    };
  }

  async customerRecordIds(tenant: string, source: string, customerId: string): Promise<string[]> {
    const rows = await this.db.sql<{ external_id: string }>(
      `SELECT external_id FROM crm_customer_record WHERE tenant = $1 AND source = $2 AND customer_id = $3`,
      [tenant, source, customerId],
    );
    return rows.map((r) => r.external_id);
  }
}
