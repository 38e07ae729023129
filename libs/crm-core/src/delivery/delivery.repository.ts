import { Injectable } from '@nestjs/common';
import { DeliveryStatusChangedV1, Envelope, PartyRefV1 } from '@tradelane/contracts';
import { EntityManager } from 'typeorm';
import { lockKeys } from '../context/advisory-lock.util';

export interface WrittenDelivery {
  id: string;
  tenant: string;
  source: string;
  externalId: string;
  orderSource: string | null;
  orderExternalId: string | null;
  customerSource: string | null;
  customerExternalId: string | null;
  parties: PartyRefV1[];
  created: boolean;
}

const NEWEST = 'ORDER BY e.occurred_at DESC, e.message_id DESC';
/** The value of `expr` in the newest event that has one. */
const latest = (expr: string) => `(array_agg(${expr} ${NEWEST}) FILTER (WHERE ${expr} IS NOT NULL))[1]`;
const ts = (field: string) => `(e.payload->>'${field}')::timestamptz`;

@Injectable()
export class DeliveryRepository {
  /** Serialises the fold per delivery across transactions and workers (keys locked in order). */
  lock(tx: EntityManager, keys: string[]): Promise<void> {
    return lockKeys(
      tx,
      keys.map((k) => `delivery:${k}`),
    );
  }

  /** Appends status events to the timeline (a redelivered event is already there). */
  async addEvents(tx: EntityManager, events: Envelope<DeliveryStatusChangedV1>[]): Promise<void> {
    const rows = events.map((e) => ({
      message_id: e.id,
      tenant: e.tenant,
      source: e.source,
      delivery_external_id: e.payload.externalId,
      status: e.payload.status,
      occurred_at: e.occurredAt,
      payload: e.payload,
    }));
    await tx.query(
      `INSERT INTO crm_delivery_event (message_id, tenant, source, delivery_external_id, status, occurred_at, payload)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(message_id uuid, tenant text, source text,
              delivery_external_id text, status text, occurred_at timestamptz, payload jsonb)
       ON CONFLICT (message_id) DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * Folds the deliveries from all their events: status of the latest event, every other attribute
   * the newest value given. A pure function of the set of events, so arrival order cannot matter.
   */
  async fold(
    tx: EntityManager,
    keys: { tenant: string; source: string; externalId: string }[],
  ): Promise<WrittenDelivery[]> {
    const rows: Record<string, unknown>[] = await tx.query(
      `INSERT INTO crm_delivery AS d (tenant, source, external_id, order_source, order_external_id, customer_source,
              customer_external_id, status, source_status, status_at, carrier, tracking_refs, promised_from, promised_to,
              picked_up_at, delivered_at, location, packages, parties, event_count)
       SELECT e.tenant, e.source, e.delivery_external_id,
              ${latest(`CASE WHEN e.payload ? 'orderExternalId' THEN coalesce(e.payload->>'orderSource', e.source) END`)},
              ${latest(`e.payload->>'orderExternalId'`)},
              ${latest(`CASE WHEN e.payload ? 'customerExternalId' THEN coalesce(e.payload->>'customerSource', e.source) END`)},
              ${latest(`e.payload->>'customerExternalId'`)},
              (array_agg(e.status ${NEWEST}))[1],
              (array_agg(e.payload->>'sourceStatus' ${NEWEST}))[1],
              max(e.occurred_at),
              ${latest(`e.payload->>'carrier'`)},
              coalesce(${latest(`e.payload->'trackingRefs'`)}, '[]'::jsonb),
              ${latest(ts('promisedFrom'))},
              ${latest(ts('promisedTo'))},
              ${latest(`coalesce(${ts('pickedUpAt')}, CASE WHEN e.status = 'PICKED_UP' THEN e.occurred_at END)`)},
              ${latest(`coalesce(${ts('deliveredAt')}, CASE WHEN e.status = 'DELIVERED' THEN e.occurred_at END)`)},
              ${latest(`e.payload->>'location'`)},
              coalesce(${latest(`e.payload->'packages'`)}, '[]'::jsonb),
              coalesce(${latest(`e.payload->'parties'`)}, '[]'::jsonb),
              count(*)
         FROM crm_delivery_event e
         JOIN jsonb_to_recordset($1::jsonb) AS k(tenant text, source text, external_id text)
           ON e.tenant = k.tenant AND e.source = k.source AND e.delivery_external_id = k.external_id
        GROUP BY e.tenant, e.source, e.delivery_external_id
       ON CONFLICT (tenant, source, external_id) DO UPDATE SET
         order_source = EXCLUDED.order_source, order_external_id = EXCLUDED.order_external_id,
         customer_source = EXCLUDED.customer_source, customer_external_id = EXCLUDED.customer_external_id,
         status = EXCLUDED.status, source_status = EXCLUDED.source_status, status_at = EXCLUDED.status_at,
         carrier = EXCLUDED.carrier, tracking_refs = EXCLUDED.tracking_refs, promised_from = EXCLUDED.promised_from,
         promised_to = EXCLUDED.promised_to, picked_up_at = EXCLUDED.picked_up_at, delivered_at = EXCLUDED.delivered_at,
         location = EXCLUDED.location, packages = EXCLUDED.packages, parties = EXCLUDED.parties,
         event_count = EXCLUDED.event_count, updated_at = now()
       RETURNING id, tenant, source, external_id, order_source, order_external_id, customer_source, customer_external_id, parties,
                 (xmax = 0) AS created`,
      [JSON.stringify(keys.map((k) => ({ tenant: k.tenant, source: k.source, external_id: k.externalId })))],
    );
    return rows.map((r) => ({
      id: r.id as string,
      tenant: r.tenant as string,
      source: r.source as string,
      externalId: r.external_id as string,
      orderSource: r.order_source as string | null,
      orderExternalId: r.order_external_id as string | null,
      customerSource: r.customer_source as string | null,
      customerExternalId: r.customer_external_id as string | null,
      parties: r.parties as PartyRefV1[],
      created: r.created as boolean,
    }));
  }
}
