import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { AgreementOverrides } from './agreement.util';

export type Runner = Pick<EntityManager, 'query'>;

/** The agreement feature's table: service agreements per tier (customer_id null) and per customer. */
@Injectable()
export class AgreementRepository {
  constructor(private readonly db: Database) {}

  /** Reads outside a transaction. */
  readonly direct: Runner = {
    query: <T>(sql: string, params?: unknown[]) => this.db.sql(sql, params) as Promise<T>,
  };

  async setTier(tenant: string, tier: string, settings: AgreementOverrides): Promise<void> {
    await this.db.sql(
      `INSERT INTO crm_service_agreement (tenant, tier, customer_id, settings) VALUES ($1, $2, NULL, $3)
       ON CONFLICT (tenant, tier) WHERE customer_id IS NULL DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()`,
      [tenant, tier, JSON.stringify(settings)],
    );
  }

  async setCustomer(
    tenant: string,
    tier: string,
    customerId: string,
    settings: AgreementOverrides,
  ): Promise<void> {
    await this.db.sql(
      `INSERT INTO crm_service_agreement (tenant, tier, customer_id, settings) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant, customer_id) WHERE customer_id IS NOT NULL
       DO UPDATE SET tier = EXCLUDED.tier, settings = EXCLUDED.settings, updated_at = now()`,
      [tenant, tier, customerId, JSON.stringify(settings)],
    );
  }

  list(tenant: string) {
    return this.db.sql(
      `SELECT tier, customer_id AS "customerId", settings, updated_at AS "updatedAt" FROM crm_service_agreement
        WHERE tenant = $1 ORDER BY customer_id IS NOT NULL, tier, customer_id`,
      [tenant],
    );
  }

  async ofCustomer(
    tx: Runner,
    tenant: string,
    customerId: string,
  ): Promise<{ tier: string; settings: AgreementOverrides } | undefined> {
    const [own]: { tier: string; settings: AgreementOverrides }[] = await tx.query(
      `SELECT tier, settings FROM crm_service_agreement WHERE tenant = $1 AND customer_id = $2`,
      [tenant, customerId],
    );
    return own;
  }

  async ofTier(tx: Runner, tenant: string, tier: string): Promise<AgreementOverrides | undefined> {
    const [row]: { settings: AgreementOverrides }[] = await tx.query(
      `SELECT settings FROM crm_service_agreement WHERE tenant = $1 AND customer_id IS NULL AND tier = $2`,
      [tenant, tier],
    );
    return row?.settings;
  }
}
