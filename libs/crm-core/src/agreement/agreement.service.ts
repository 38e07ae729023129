import { Injectable } from '@nestjs/common';
import { AppError } from '@tradelane/http';
import { Database } from '@tradelane/persistence';
import { EntityManager } from 'typeorm';
import { CustomerRepository } from '../customer/customer.repository';
import {
  AgreementOverrides,
  AgreementSettings,
  DEFAULT_TIER,
  effectiveAgreement,
  Provenance,
  validateAgreementSettings,
} from './agreement.util';

export interface EffectiveAgreement {
  tenant: string;
  customerId: string | null;
  tier: string;
  settings: AgreementSettings;
  /** Which level set each part: default, tier or customer. */
  from: Provenance;
}

export type Runner = Pick<EntityManager, 'query'>;

/** Service agreements per tier and per customer, and the effective terms of a customer. */
@Injectable()
export class AgreementService {
  constructor(
    private readonly db: Database,
    private readonly customers: CustomerRepository,
  ) {}

  /** Reads outside a transaction. */
  readonly direct: Runner = {
    query: <T>(sql: string, params?: unknown[]) => this.db.sql(sql, params) as Promise<T>,
  };

  private settingsOf(input: unknown): AgreementOverrides {
    try {
      return validateAgreementSettings(input ?? {});
    } catch (e) {
      throw new AppError('invalid', (e as Error).message);
    }
  }

  async setTier(tenant: string, tier: string, input: unknown): Promise<EffectiveAgreement> {
    const settings = this.settingsOf(input);
    await this.db.sql(
      `INSERT INTO crm_service_agreement (tenant, tier, customer_id, settings) VALUES ($1, $2, NULL, $3)
       ON CONFLICT (tenant, tier) WHERE customer_id IS NULL DO UPDATE SET settings = EXCLUDED.settings, updated_at = now()`,
      [tenant, tier, JSON.stringify(settings)],
    );
    return this.resolve(this.direct, tenant, null, tier);
  }

  async setCustomer(
    customerId: string,
    tier: string | undefined,
    input: unknown,
  ): Promise<EffectiveAgreement> {
    const settings = this.settingsOf(input);
    const c = await this.customers.findById(undefined, customerId);
    if (!c) throw new AppError('not-found', `customer ${customerId} not found`);
    await this.db.sql(
      `INSERT INTO crm_service_agreement (tenant, tier, customer_id, settings) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant, customer_id) WHERE customer_id IS NOT NULL
       DO UPDATE SET tier = EXCLUDED.tier, settings = EXCLUDED.settings, updated_at = now()`,
      [c.tenant, tier ?? DEFAULT_TIER, c.id, JSON.stringify(settings)],
    );
    return this.resolve(this.direct, c.tenant, c.id);
  }

  async ofCustomer(customerId: string): Promise<EffectiveAgreement> {
    const c = await this.customers.findById(undefined, customerId);
    if (!c) throw new AppError('not-found', `customer ${customerId} not found`);
    return this.resolve(this.direct, c.tenant, c.id);
  }

  async list(tenant: string) {
    return this.db.sql(
      `SELECT tier, customer_id AS "customerId", settings, updated_at AS "updatedAt" FROM crm_service_agreement
        WHERE tenant = $1 ORDER BY customer_id IS NOT NULL, tier, customer_id`,
      [tenant],
    );
  }

  /** The effective agreement of a customer (or of a tier when `customerId` is null). */
  async resolve(
    tx: Runner,
    tenant: string,
    customerId: string | null,
    tier?: string,
  ): Promise<EffectiveAgreement> {
    const own: { tier: string; settings: AgreementOverrides }[] = customerId
      ? await tx.query(
          `SELECT tier, settings FROM crm_service_agreement WHERE tenant = $1 AND customer_id = $2`,
          [tenant, customerId],
        )
      : [];
    const onTier = own[0]?.tier ?? tier ?? DEFAULT_TIER;
    const [tierRow]: { settings: AgreementOverrides }[] = await tx.query(
      `SELECT settings FROM crm_service_agreement WHERE tenant = $1 AND customer_id IS NULL AND tier = $2`,
      [tenant, onTier],
    );
    const { settings, from } = effectiveAgreement(tierRow?.settings, own[0]?.settings);
    return { tenant, customerId, tier: onTier, settings, from };
  }

  /** The effective agreement of whichever customer holds a source record (the tier default if none yet). */
  async forRecord(tx: Runner, tenant: string, source: string | null, externalId: string | null) {
    const [rec]: { customer_id: string }[] =
      source && externalId
        ? await tx.query(
            `SELECT customer_id FROM crm_customer_record WHERE tenant = $1 AND source = $2 AND external_id = $3`,
            [tenant, source, externalId],
          )
        : [];
    return this.resolve(tx, tenant, rec?.customer_id ?? null);
  }
}
