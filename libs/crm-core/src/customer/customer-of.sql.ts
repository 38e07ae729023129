/**
 * The one answer to "which unified customer is this record's customer?". A record (order,
 * delivery, invoice, case, KPI fact...) names its customer as the source record it sent:
 * `<alias>.customer_source` + `<alias>.customer_external_id`. That source record belongs to exactly
 * one unified customer (a merge moves its records to the survivor, an unmerge moves them back), so
 * the record's customer is the `customer_id` of the source record joined here. Every feature joins
 * through these fragments; only the customer feature names the table (checked in CI).
 */
const RECORDS = 'crm_customer_record';

export interface CustomerOfOptions {
  /** Alias of the joined source record (default r): `<as>.customer_id` is the customer. */
  as?: string;
  /** Column prefix on the record (default customer: customer_source, customer_external_id). */
  prefix?: string;
  /** Tenant expression (default `<record>.tenant`), e.g. `$1`. */
  tenant?: string;
  /** LEFT JOIN: keep records whose customer has not arrived yet. */
  left?: boolean;
}

/** `JOIN crm_customer_record r ON ...`: the source record (and so the customer) of `record`. */
export function customerOf(record: string, o: CustomerOfOptions = {}): string {
  const as = o.as ?? 'r';
  const prefix = o.prefix ?? 'customer';
  return `${o.left ? 'LEFT ' : ''}JOIN ${RECORDS} ${as} ON ${as}.tenant = ${o.tenant ?? `${record}.tenant`}
    AND ${as}.source = ${record}.${prefix}_source AND ${as}.external_id = ${record}.${prefix}_external_id`;
}

/** `crm_customer_record <as>`: the source records of customers, for a FROM or JOIN keyed by `<as>.customer_id`. */
export function customerRecords(as = 'r'): string {
  return `${RECORDS} ${as}`;
}

/** A scalar subquery: the customer of the source record (tenant, source, external id expressions). */
export function customerIdOf(tenant: string, source: string, externalId: string): string {
  return `(SELECT customer_id FROM ${RECORDS} WHERE tenant = ${tenant} AND source = ${source} AND external_id = ${externalId})`;
}
