import { SendContext, SourceRecordRef } from '@tradelane/connector-sdk';
import { Envelope, OrderFulfilmentRequestedV1 } from '@tradelane/contracts';

/**
 * What the connector host needs to know from the CRM, and the only way it learns it (the host
 * never reads the CRM's tables). The CRM core implements it (`SourceRecordsReader`); the
 * composition binds it to {@link CRM_RECORDS}. Called inside the host's transaction where there
 * is one (the database joins the read to it).
 */
export interface CrmRecordsPort {
  /**
   * Of these keys of a source, the ones the CRM holds for records of a canonical type
   * (`order.upserted`...); undefined when the CRM keeps no such records by key.
   */
  heldKeys(type: string, tenant: string, source: string, keys: string[]): Promise<Set<string> | undefined>;
  /**
   * For a crm.customer.* event: the customer as the CRM holds it now and this source's records of
   * it (for a merge, also of the customer merged away), with the source time last read.
   */
  customerForSend(source: string, event: Envelope): Promise<Pick<SendContext, 'customer' | 'mergedRecords'>>;
  /** The source's ids of a customer's records (what to pull again). */
  customerRecordIds(tenant: string, source: string, customerId: string): Promise<string[]>;
  /**
   * An order as a warehouse needs it to ship (depositor, ship-to, lines, dates), or null when the
   * tenant has no order with that id (the order's own uuid, or `<source>/<external id>`).
   */
  fulfilmentOf(
    tenant: string,
    orderId: string,
  ): Promise<Omit<OrderFulfilmentRequestedV1, 'requestId' | 'toSources' | 'note'> | null>;
  /** A partner's customers (unified id, name) with the source records they are known by. */
  partnerCustomers(
    tenant: string,
    partnerId: string,
  ): Promise<{ id: string; name: string; records: { source: string; externalId: string }[] }[]>;
  /**
   * A record as the partner API shows it to a credential of the partner with these scopes, or null
   * when that partner may not see it (the database decides) or the scopes do not reach it.
   */
  partnerRecord(
    tenant: string,
    partnerId: string,
    resource: string,
    id: string,
    scopes: readonly string[],
  ): Promise<Record<string, unknown> | null>;
}

export const CRM_RECORDS = Symbol('CRM_RECORDS');

export type { SourceRecordRef };
