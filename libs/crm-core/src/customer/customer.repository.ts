import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { lockKeys } from '../context/advisory-lock.util';
import { CustomerRecordData } from './customer-record.entity';
import { CustomerField, CustomerStatus, FieldProvenance } from './customer.entity';
import { Identifier } from './identifier.util';

export interface RecordKey {
  tenant: string;
  source: string;
  externalId: string;
}

export interface RecordInput extends RecordKey {
  context: string;
  data: CustomerRecordData;
  at: string;
  messageId: string;
  /** Customer to create for the record if it is new. */
  newCustomerId: string;
}

export interface RecordRef extends RecordKey {
  recordId: string;
  customerId: string;
}

export interface StoredRecord extends RecordKey {
  customerId: string;
  context: string;
  data: CustomerRecordData;
  at: string;
}

export interface CustomerRow {
  id: string;
  tenant: string;
  status: CustomerStatus;
  mergedInto: string | null;
  createdAt: Date;
  values: Record<CustomerField, string | null> | null;
  provenance: Partial<Record<CustomerField, FieldProvenance>>;
}

export interface GoldenRow {
  id: string;
  values: Record<CustomerField, string | null>;
  provenance: Partial<Record<CustomerField, FieldProvenance>>;
}

export interface SharedIdentifier extends Identifier {
  customerId: string;
}

export interface CustomerSearch {
  tenant: string;
  q?: string;
  source?: string;
  limit: number;
  offset: number;
}

const GOLDEN_RECORDSET = `id uuid, name text, vat_id text, eori text, duns text, email text, phone text,
  street text, city text, postal_code text, country text, provenance jsonb`;

function goldenColumns(r: GoldenRow) {
  return {
    id: r.id,
    name: r.values.name,
    vat_id: r.values.vatId,
    eori: r.values.eori,
    duns: r.values.duns,
    email: r.values.email,
    phone: r.values.phone,
    street: r.values.street,
    city: r.values.city,
    postal_code: r.values.postalCode,
    country: r.values.country,
    provenance: r.provenance,
  };
}

const keysJson = (keys: RecordKey[]) =>
  JSON.stringify(keys.map((k) => ({ tenant: k.tenant, source: k.source, external_id: k.externalId })));

/** Customer records, unified customers and identifiers: the only I/O of the customer feature. */
@Injectable()
export class CustomerRepository {
  constructor(private readonly db: Database) {}

  /**
   * Set-based upsert of records by (tenant, source, external id); a row changes only when the event
   * is newer (event time, then message id). A new record is placed under `newCustomerId`.
   * Returns the rows written, `created` for new ones.
   */
  async upsertRecords(tx: EntityManager, rows: RecordInput[]): Promise<(RecordRef & { created: boolean })[]> {
    if (!rows.length) return [];
    const input = rows.map((r) => ({
      tenant: r.tenant,
      source: r.source,
      context: r.context,
      external_id: r.externalId,
      customer_id: r.newCustomerId,
      data: r.data,
      at: r.at,
      message_id: r.messageId,
    }));
    const out: {
      id: string;
      tenant: string;
      source: string;
      external_id: string;
      customer_id: string;
      created: boolean;
    }[] = await tx.query(
      `INSERT INTO crm_customer_record AS c (tenant, source, context, external_id, customer_id, home_customer_id, data,
                                               source_updated_at, source_message_id)
         SELECT t.tenant, t.source, t.context, t.external_id, t.customer_id, t.customer_id, t.data, t.at, t.message_id
           FROM jsonb_to_recordset($1::jsonb)
             AS t(tenant text, source text, context text, external_id text, customer_id uuid, data jsonb,
                  at timestamptz, message_id uuid)
         ON CONFLICT (tenant, source, external_id) DO UPDATE SET
           data = EXCLUDED.data, context = EXCLUDED.context, source_updated_at = EXCLUDED.source_updated_at,
           source_message_id = EXCLUDED.source_message_id, revision = c.revision + 1, updated_at = now()
         WHERE (c.source_updated_at, c.source_message_id) < (EXCLUDED.source_updated_at, EXCLUDED.source_message_id)
         RETURNING id, tenant, source, external_id, customer_id, (xmax = 0) AS created`,
      [JSON.stringify(input)],
    );
    return out.map((r) => ({
      recordId: r.id,
      tenant: r.tenant,
      source: r.source,
      externalId: r.external_id,
      customerId: r.customer_id,
      created: r.created,
    }));
  }

  /** Unified customers for new records, with their fields and provenance. */
  async insertCustomers(tx: EntityManager, rows: (GoldenRow & { tenant: string })[]): Promise<void> {
    if (!rows.length) return;
    await tx.query(
      `INSERT INTO crm_customer (id, tenant, name, search_name, vat_id, eori, duns, email, phone, street, city,
                                 postal_code, country, provenance)
       SELECT t.id, t.tenant, t.name, lower(t.name), t.vat_id, t.eori, t.duns, t.email, t.phone, t.street, t.city,
              t.postal_code, t.country, t.provenance
         FROM jsonb_to_recordset($1::jsonb) AS t(${GOLDEN_RECORDSET}, tenant text)`,
      [JSON.stringify(rows.map((r) => ({ ...goldenColumns(r), tenant: r.tenant })))],
    );
  }

  async recordRefs(tx: EntityManager, keys: RecordKey[]): Promise<RecordRef[]> {
    if (!keys.length) return [];
    const rows: { id: string; tenant: string; source: string; external_id: string; customer_id: string }[] =
      await tx.query(
        `SELECT r.id, r.tenant, r.source, r.external_id, r.customer_id
           FROM crm_customer_record r
           JOIN jsonb_to_recordset($1::jsonb) AS k(tenant text, source text, external_id text)
             ON r.tenant = k.tenant AND r.source = k.source AND r.external_id = k.external_id`,
        [keysJson(keys)],
      );
    return rows.map((r) => ({
      recordId: r.id,
      tenant: r.tenant,
      source: r.source,
      externalId: r.external_id,
      customerId: r.customer_id,
    }));
  }

  /**
   * Serialises identity resolution per identifier value across transactions and workers: two
   * records sharing a VAT id written concurrently must see each other. Keys are locked in order.
   */
  lockIdentifiers(tx: EntityManager, keys: string[]): Promise<void> {
    return lockKeys(tx, keys);
  }

  /** Adds identifiers (kept forever as evidence); returns those not known before. */
  async addIdentifiers(
    tx: EntityManager,
    rows: (Identifier & { recordId: string; tenant: string })[],
  ): Promise<(Identifier & { tenant: string })[]> {
    if (!rows.length) return [];
    const input = rows.map((r) => ({
      record_id: r.recordId,
      scheme: r.scheme,
      value: r.value,
      tenant: r.tenant,
    }));
    return tx.query(
      `INSERT INTO crm_customer_identifier (record_id, scheme, value, tenant)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(record_id uuid, scheme text, value text, tenant text)
       ON CONFLICT DO NOTHING
       RETURNING scheme, value, tenant`,
      [JSON.stringify(input)],
    );
  }

  /** The customers (current) whose records carry each of these identifiers. */
  async customersSharing(tx: EntityManager, tenant: string, ids: Identifier[]): Promise<SharedIdentifier[]> {
    if (!ids.length) return [];
    const rows: { scheme: string; value: string; customer_id: string }[] = await tx.query(
      `SELECT DISTINCT i.scheme, i.value, r.customer_id
         FROM jsonb_to_recordset($2::jsonb) AS k(scheme text, value text)
         JOIN crm_customer_identifier i ON i.tenant = $1 AND i.value = k.value AND i.scheme = k.scheme
         JOIN crm_customer_record r ON r.id = i.record_id`,
      [tenant, JSON.stringify(ids)],
    );
    return rows.map((r) => ({ scheme: r.scheme, value: r.value, customerId: r.customer_id }));
  }

  /** Locks customers (in id order, so two transactions cannot deadlock on them) and reads them. */
  async lockCustomers(tx: EntityManager, ids: string[]): Promise<CustomerRow[]> {
    if (!ids.length) return [];
    const rows: (Record<string, string | null> & {
      id: string;
      tenant: string;
      status: CustomerStatus;
      merged_into: string | null;
      created_at: Date;
    })[] = await tx.query(
      `SELECT id, tenant, status, merged_into, created_at, name, vat_id, eori, duns, email, phone, street, city,
                postal_code, country, provenance, provenance = '{}'::jsonb AS blank
           FROM crm_customer WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [[...new Set(ids)]],
    );
    return rows.map((r) => ({
      id: r.id,
      tenant: r.tenant,
      status: r.status,
      mergedInto: r.merged_into,
      createdAt: r.created_at,
      provenance: (r as unknown as { provenance: CustomerRow['provenance'] }).provenance,
      values: (r as unknown as { blank: boolean }).blank
        ? null
        : {
            name: r.name,
            vatId: r.vat_id,
            eori: r.eori,
            duns: r.duns,
            email: r.email,
            phone: r.phone,
            street: r.street,
            city: r.city,
            postalCode: r.postal_code,
            country: r.country,
          },
    }));
  }

  async recordsOf(tx: EntityManager, customerIds: string[]): Promise<StoredRecord[]> {
    if (!customerIds.length) return [];
    const rows: {
      tenant: string;
      source: string;
      context: string;
      external_id: string;
      customer_id: string;
      data: CustomerRecordData;
      at: Date;
    }[] = await tx.query(
      `SELECT tenant, source, context, external_id, customer_id, data, source_updated_at AS at
           FROM crm_customer_record WHERE customer_id = ANY($1::uuid[])`,
      [customerIds],
    );
    return rows.map((r) => ({
      tenant: r.tenant,
      source: r.source,
      context: r.context,
      externalId: r.external_id,
      customerId: r.customer_id,
      data: r.data,
      at: new Date(r.at).toISOString(),
    }));
  }

  async saveGolden(tx: EntityManager, rows: GoldenRow[]): Promise<void> {
    if (!rows.length) return;
    await tx.query(
      `UPDATE crm_customer c SET name = t.name, search_name = lower(t.name), vat_id = t.vat_id, eori = t.eori,
              duns = t.duns, email = t.email, phone = t.phone, street = t.street, city = t.city,
              postal_code = t.postal_code, country = t.country, provenance = t.provenance,
              revision = c.revision + CASE WHEN c.provenance = '{}'::jsonb THEN 0 ELSE 1 END, updated_at = now()
         FROM jsonb_to_recordset($1::jsonb) AS t(${GOLDEN_RECORDSET})
        WHERE c.id = t.id`,
      [JSON.stringify(rows.map(goldenColumns))],
    );
  }

  /**
   * Active customers by name prefix, or by any identifier (external id, VAT, EORI, DUNS, e-mail...)
   * equal to the term in one of its normalised forms.
   */
  search(s: CustomerSearch, values: string[]): Promise<[CustomerListRow[], number]> {
    return this.db.read(async (m) => {
      const params: unknown[] = [s.tenant];
      let from = `crm_customer c`;
      if (s.q) {
        // Index lookups joined by UNION: an OR of both would scan every customer in name order.
        // A name prefix as a range (search_name is COLLATE "C"): unlike LIKE, the comparisons are
        // leakproof, so the index serves it under row-level security too.
        const prefix = s.q.trim().toLowerCase();
        params.push(prefix, values, `${prefix}\u{10FFFF}`);
        from = `(SELECT id FROM crm_customer WHERE tenant = $1 AND search_name >= $2 AND search_name < $4
                 UNION
                 SELECT r.customer_id FROM crm_customer_identifier i JOIN crm_customer_record r ON r.id = i.record_id
                  WHERE i.tenant = $1 AND i.value = ANY($3::text[])
                 UNION
                 SELECT customer_id FROM crm_customer_record WHERE tenant = $1 AND external_id = ANY($3::text[])) hit
                JOIN crm_customer c ON c.id = hit.id`;
      }
      const where = [`c.tenant = $1`, `c.status = 'active'`];
      if (s.source) {
        params.push(s.source);
        where.push(
          `EXISTS (SELECT 1 FROM crm_customer_record r WHERE r.customer_id = c.id AND r.source = $${params.length})`,
        );
      }
      const sql = `FROM ${from} WHERE ${where.join(' AND ')}`;
      const [rows, [count]] = await Promise.all([
        m.query(
          `SELECT c.id, c.name, c.vat_id, c.email, c.city, c.postal_code, c.country, c.revision, c.updated_at,
                  (SELECT jsonb_agg(jsonb_build_object('source', r.source, 'externalId', r.external_id)
                                    ORDER BY r.source, r.external_id)
                     FROM crm_customer_record r WHERE r.customer_id = c.id) AS identities
             ${sql} ORDER BY c.search_name, c.id LIMIT ${s.limit} OFFSET ${s.offset}`,
          params,
        ),
        m.query(`SELECT count(*)::int AS n ${sql}`, params),
      ]);
      return [rows as CustomerListRow[], (count as { n: number }).n];
    });
  }

  /** A customer, following merges to the survivor; null when unknown. */
  async findById(tenant: string | undefined, id: string): Promise<CustomerView | null> {
    const [row] = await this.db.sql<CustomerView>(
      `WITH RECURSIVE chain AS (
         SELECT c.*, 0 AS depth FROM crm_customer c WHERE c.id = $1
         UNION ALL
         SELECT n.*, chain.depth + 1 FROM crm_customer n JOIN chain ON n.id = chain.merged_into WHERE chain.depth < 50
       )
       SELECT id, tenant, status, merged_into, name, vat_id, eori, duns, email, phone, street, city, postal_code,
              country, provenance, revision, created_at, updated_at
         FROM chain ORDER BY depth DESC LIMIT 1`,
      [id],
    );
    if (!row || (tenant && row.tenant !== tenant)) return null;
    return row;
  }
}

export interface CustomerListRow {
  id: string;
  name: string;
  vat_id: string | null;
  email: string | null;
  city: string | null;
  postal_code: string | null;
  country: string | null;
  revision: number;
  updated_at: Date;
  identities: { source: string; externalId: string }[];
}

export interface CustomerView {
  id: string;
  tenant: string;
  status: CustomerStatus;
  merged_into: string | null;
  name: string;
  vat_id: string | null;
  eori: string | null;
  duns: string | null;
  email: string | null;
  phone: string | null;
  street: string | null;
  city: string | null;
  postal_code: string | null;
  country: string | null;
  provenance: Partial<Record<CustomerField, FieldProvenance>>;
  revision: number;
  created_at: Date;
  updated_at: Date;
}
