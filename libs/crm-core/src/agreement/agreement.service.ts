import { Injectable } from '@nestjs/common';
import { AppError, noteChange } from '@tradelane/http';
import { CustomerDirectory } from '../customer/customer-directory';
import { AgreementRepository, Runner } from './agreement.repository';
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

export type { Runner } from './agreement.repository';

/** Service agreements per tier and per customer, and the effective terms of a customer. */
@Injectable()
export class AgreementService {
  constructor(
    private readonly agreements: AgreementRepository,
    private readonly customers: CustomerDirectory,
  ) {}

  /** Reads outside a transaction. */
  get direct(): Runner {
    return this.agreements.direct;
  }

  private settingsOf(input: unknown): AgreementOverrides {
    try {
      return validateAgreementSettings(input ?? {});
    } catch (e) {
      throw new AppError('invalid', (e as Error).message);
    }
  }

  async setTier(tenant: string, tier: string, input: unknown): Promise<EffectiveAgreement> {
    const settings = this.settingsOf(input);
    const before = await this.agreements.ofTier(this.direct, tenant, tier);
    await this.agreements.setTier(tenant, tier, settings);
    noteChange({ targetType: 'tier', targetId: tier, before: before ?? null, after: settings });
    return this.resolve(this.direct, tenant, null, tier);
  }

  async setCustomer(
    customerId: string,
    tier: string | undefined,
    input: unknown,
  ): Promise<EffectiveAgreement> {
    const settings = this.settingsOf(input);
    const c = await this.customers.find(customerId);
    if (!c) throw new AppError('not-found', `customer ${customerId} not found`);
    const before = await this.agreements.ofCustomer(this.direct, c.tenant, c.id);
    await this.agreements.setCustomer(c.tenant, tier ?? DEFAULT_TIER, c.id, settings);
    noteChange({
      targetType: 'customer',
      targetId: c.id,
      before: before ? { tier: before.tier, settings: before.settings } : null,
      after: { tier: tier ?? DEFAULT_TIER, settings },
    });
    return this.resolve(this.direct, c.tenant, c.id);
  }

  async ofCustomer(customerId: string): Promise<EffectiveAgreement> {
    const c = await this.customers.find(customerId);
    if (!c) throw new AppError('not-found', `customer ${customerId} not found`);
    return this.resolve(this.direct, c.tenant, c.id);
  }

  list(tenant: string) {
    return this.agreements.list(tenant);
  }

  /** The effective agreement of a customer (or of a tier when `customerId` is null). */
  async resolve(
    tx: Runner,
    tenant: string,
    customerId: string | null,
    tier?: string,
  ): Promise<EffectiveAgreement> {
    const own = customerId ? await this.agreements.ofCustomer(tx, tenant, customerId) : undefined;
    const onTier = own?.tier ?? tier ?? DEFAULT_TIER;
    const { settings, from } = effectiveAgreement(
      await this.agreements.ofTier(tx, tenant, onTier),
      own?.settings,
    );
    return { tenant, customerId, tier: onTier, settings, from };
  }

  /** The effective agreement of whichever customer holds a source record (the tier default if none yet). */
  async forRecord(tx: Runner, tenant: string, source: string | null, externalId: string | null) {
    const customerId =
      source && externalId ? await this.customers.customerOfRecord(tenant, source, externalId) : null;
    return this.resolve(tx, tenant, customerId);
  }
}
