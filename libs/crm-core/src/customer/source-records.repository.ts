import { Injectable } from '@nestjs/common';
import { Envelope, FulfilmentAddressV1, OrderFulfilmentRequestedV1 } from '@tradelane/contracts';
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

  /** The source records of these unified customers (what a record names its customer by). */
  async recordsOf(
    tenant: string,
    customerIds: string[],
  ): Promise<{ customerId: string; source: string; externalId: string }[]> {
    return this.db.sql(
      `SELECT customer_id AS "customerId", source, external_id AS "externalId" FROM crm_customer_record
        WHERE tenant = $1 AND customer_id = ANY($2::uuid[]) ORDER BY created_at, source, external_id`,
      [tenant, customerIds],
    );
  }

  async fulfilmentOf(
    tenant: string,
    orderId: string,
  ): Promise<Omit<OrderFulfilmentRequestedV1, 'requestId' | 'toSources' | 'note'> | null> {
    const slash = orderId.indexOf('/', orderId.indexOf(':'));
    const byKey = slash > 0 && !/^[0-9a-f-]{36}$/i.test(orderId);
    if (!byKey && !/^[0-9a-f-]{36}$/i.test(orderId)) return null;
    const [o] = await this.db.sql<{
      source: string;
      external_id: string;
      customer_source: string;
      customer_external_id: string;
      ordered_at: Date;
      required_at: Date | null;
      carrier: string | null;
      lines: { sku: string; description?: string; quantity: number }[];
      parties: { role: string; customerExternalId: string; customerSource?: string }[];
    }>(
      `SELECT source, external_id, customer_source, customer_external_id, ordered_at, required_at, carrier, lines, parties
         FROM crm_order WHERE tenant = $1 AND ${byKey ? 'source = $2 AND external_id = $3' : 'id = $2'}`,
      byKey ? [tenant, orderId.slice(0, slash), orderId.slice(slash + 1)] : [tenant, orderId],
    );
    if (!o) return null;
    const address = async (source: string, externalId: string): Promise<FulfilmentAddressV1> => {
      const [c] = await this.db.sql<Record<string, string | null>>(
        `SELECT c.name, c.street, c.city, c.postal_code AS "postalCode", c.country
           FROM crm_customer_record r JOIN crm_customer c ON c.id = r.customer_id
          WHERE r.tenant = $1 AND r.source = $2 AND r.external_id = $3`,
        [tenant, source, externalId],
      );
      const out: FulfilmentAddressV1 = { name: c?.name ?? externalId, externalId };
      for (const k of ['street', 'city', 'postalCode', 'country'] as const)
        if (c?.[k]) out[k] = c[k] as string;
      return out;
    };
    const depositor = await address(o.customer_source, o.customer_external_id);
    const consignee = o.parties.find((p) => p.role === 'consignee');
    const shipTo = consignee
      ? await address(consignee.customerSource ?? o.source, consignee.customerExternalId)
      : depositor;
    return {
      orderSource: o.source,
      orderExternalId: o.external_id,
      depositor,
      shipTo,
      orderedAt: new Date(o.ordered_at).toISOString(),
      ...(o.required_at ? { requiredAt: new Date(o.required_at).toISOString() } : {}),
      ...(o.carrier ? { carrier: o.carrier } : {}),
      lines: o.lines.map((l) => ({
        sku: l.sku,
        ...(l.description ? { description: l.description } : {}),
        quantity: l.quantity,
      })),
    };
  }
}
