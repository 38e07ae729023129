import { partnerPolicy } from '@tradelane/access';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The (source, external id) keys of the current partner's customers' records (merged ones too). */
const KEYS = `(SELECT k.source, k.external_id FROM tradelane_partner_keys() k)`;
const CUSTOMERS = `(SELECT tradelane_partner_customers())`;

/**
 * The partner scope: which rows of the CRM a partner organisation's request sees (every other
 * table shows it none, Partners1700000025000). One rule, written once per table:
 * a record is the partner's when one of its customers is a party to it: the ordering customer,
 * the bill-to, or a party role (shipper, consignee, supplier...) in crm_party_link or
 * crm_case_party. "Its customers" are the unified customers it is linked to (auth_partner_customer),
 * through their source records, so a merge or an unmerge moves the partner's view with the records.
 * Child rows (delivery events, case messages and SLA events, KPI values, agreements) follow their
 * parent, which the parent's own policy decides; case messages marked internal are never shown.
 */
export const PARTNER_SEES: Record<string, string> = {
  crm_customer_record: `customer_id IN ${CUSTOMERS} OR home_customer_id IN ${CUSTOMERS}`,
  crm_customer: `id IN ${CUSTOMERS} OR id IN (SELECT r.customer_id FROM crm_customer_record r WHERE r.home_customer_id IN ${CUSTOMERS})`,
  crm_party_link: `(customer_source, customer_external_id) IN ${KEYS}`,
  crm_case_party: `(customer_source, customer_external_id) IN ${KEYS}`,
  crm_order: `(customer_source, customer_external_id) IN ${KEYS}
    OR id IN (SELECT l.subject_id FROM crm_party_link l WHERE l.subject_type = 'order')`,
  crm_delivery: `(customer_source, customer_external_id) IN ${KEYS}
    OR id IN (SELECT l.subject_id FROM crm_party_link l WHERE l.subject_type = 'delivery')
    OR (order_source, order_external_id) IN (SELECT o.source, o.external_id FROM crm_order o)`,
  crm_delivery_event: `(source, delivery_external_id) IN (SELECT d.source, d.external_id FROM crm_delivery d)`,
  crm_invoice: `(customer_source, customer_external_id) IN ${KEYS}`,
  crm_case: `(customer_source, customer_external_id) IN ${KEYS} OR id IN (SELECT p.case_id FROM crm_case_party p)`,
  crm_case_message: `visibility = 'customer' AND case_id IN (SELECT c.id FROM crm_case c)`,
  crm_case_sla_event: `case_id IN (SELECT c.id FROM crm_case c)`,
  crm_inventory_count: `(customer_source, customer_external_id) IN ${KEYS}`,
  crm_kpi_value: `customer_id IN (SELECT c.id FROM crm_customer c)`,
  crm_service_agreement: `customer_id IS NULL OR customer_id IN (SELECT c.id FROM crm_customer c)`,
};

/**
 * Child tables without a tenant column: their tenant is their parent's (the parent's own policy
 * decides, in the subquery), instead of the open policy Partners1700000025000 gave them.
 */
const TENANT_OF_PARENT: Record<string, string> = {
  crm_case_message: `case_id IN (SELECT c.id FROM crm_case c)`,
  crm_case_sla_event: `case_id IN (SELECT c.id FROM crm_case c)`,
};

export class PartnerScope1700000026000 implements MigrationInterface {
  name = 'PartnerScope1700000026000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "crm_customer_record_home_idx" ON "crm_customer_record"  ("home_customer_id") `,
    );
    await q.query(
      `CREATE OR REPLACE FUNCTION tradelane_partner_keys() RETURNS TABLE (source text, external_id text)
       LANGUAGE sql STABLE AS $$
         SELECT r.source, r.external_id FROM crm_customer_record r
          WHERE r.customer_id IN (SELECT tradelane_partner_customers())
             OR r.home_customer_id IN (SELECT tradelane_partner_customers()) $$`,
    );
    for (const [table, sees] of Object.entries(PARTNER_SEES)) await partnerPolicy(q, table, sees);
    for (const [table, parent] of Object.entries(TENANT_OF_PARENT)) {
      await q.query(`DROP POLICY IF EXISTS open ON "${table}"`);
      await q.query(
        `CREATE POLICY tenant_isolation ON "${table}"
           USING (tradelane_tenant() IS NULL OR ${parent}) WITH CHECK (tradelane_tenant() IS NULL OR ${parent})`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of Object.keys(TENANT_OF_PARENT)) {
      await q.query(`DROP POLICY tenant_isolation ON "${table}"`);
      await q.query(`CREATE POLICY open ON "${table}" USING (true) WITH CHECK (true)`);
    }
    for (const table of Object.keys(PARTNER_SEES)) await partnerPolicy(q, table, 'false');
    await q.query(`DROP FUNCTION IF EXISTS tradelane_partner_keys()`);
    await q.query(`DROP INDEX "crm_customer_record_home_idx"`);
  }
}
