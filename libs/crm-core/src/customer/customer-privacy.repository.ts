import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PersonalData, PersonalDataHolder, PersonIdentity } from '../context/personal-data';

/**
 * The personal data the customer feature holds of one person: a contact (name, e-mail, phone,
 * role) on customer source records, the record's own e-mail (a sole trader), the golden record's
 * e-mail, and the e-mail identifiers matching uses.
 */
@Injectable()
export class CustomerPrivacy implements PersonalDataHolder, OnModuleInit {
  readonly holds = 'customer contacts';

  constructor(private readonly registry: PersonalData) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async find(tx: EntityManager, tenant: string, email: string): Promise<Record<string, unknown>[]> {
    const contacts = await tx.query(
      `SELECT r.customer_id AS "customerId", r.source, r.external_id AS "externalId", c AS contact
         FROM crm_customer_record r, jsonb_array_elements(coalesce(r.data->'contacts', '[]'::jsonb)) c
        WHERE r.tenant = $1 AND lower(c->>'email') = $2`,
      [tenant, email],
    );
    const records = await tx.query(
      `SELECT customer_id AS "customerId", source, external_id AS "externalId", data->>'name' AS name,
              data->>'email' AS email, data->>'phone' AS phone
         FROM crm_customer_record WHERE tenant = $1 AND lower(data->>'email') = $2`,
      [tenant, email],
    );
    const customers = await tx.query(
      `SELECT id AS "customerId", name, email, phone FROM crm_customer WHERE tenant = $1 AND lower(email) = $2`,
      [tenant, email],
    );
    return [
      ...contacts.map((c: Record<string, unknown>) => ({ kind: 'contact', ...c })),
      ...records.map((r: Record<string, unknown>) => ({ kind: 'record e-mail', ...r })),
      ...customers.map((c: Record<string, unknown>) => ({ kind: 'customer e-mail', ...c })),
    ];
  }

  async erase(tx: EntityManager, tenant: string, email: string) {
    // The contact leaves the record; a record whose own e-mail it was loses the e-mail and phone.
    const touched: (PersonIdentity & { n: number })[] = await tx.query(
      `WITH hit AS (
         SELECT id FROM crm_customer_record r
          WHERE r.tenant = $1
            AND (lower(r.data->>'email') = $2
                 OR EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(r.data->'contacts', '[]'::jsonb)) c
                             WHERE lower(c->>'email') = $2))),
       done AS (
         UPDATE crm_customer_record r SET
           data = CASE WHEN lower(r.data->>'email') = $2 THEN r.data - 'email' - 'phone' ELSE r.data END
                  || CASE WHEN jsonb_typeof(r.data->'contacts') = 'array' THEN jsonb_build_object('contacts',
                       coalesce((SELECT jsonb_agg(c) FROM jsonb_array_elements(r.data->'contacts') c
                                  WHERE lower(c->>'email') IS DISTINCT FROM $2), '[]'::jsonb))
                     ELSE '{}'::jsonb END,
           updated_at = now()
          FROM hit WHERE r.id = hit.id
          RETURNING r.customer_id AS "customerId", r.source, r.external_id AS "externalId")
       SELECT *, 1 AS n FROM done`,
      [tenant, email],
    );
    const customers: { n: number }[] = await tx.query(
      `WITH done AS (UPDATE crm_customer SET email = NULL, updated_at = now()
                      WHERE tenant = $1 AND lower(email) = $2 RETURNING 1)
       SELECT count(*)::int AS n FROM done`,
      [tenant, email],
    );
    const identifiers: { n: number }[] = await tx.query(
      `WITH done AS (DELETE FROM crm_customer_identifier
                      WHERE tenant = $1 AND scheme = 'email' AND lower(value) = $2 RETURNING 1)
       SELECT count(*)::int AS n FROM done`,
      [tenant, email],
    );
    return {
      rows: touched.length + customers[0].n + identifiers[0].n,
      identities: touched.map(({ customerId, source, externalId }) => ({ customerId, source, externalId })),
    };
  }
}
