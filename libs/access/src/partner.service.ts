import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppError, noteChange } from '@tradelane/http';
import { sqlState } from '@tradelane/persistence';
import { PartnerKind, PartnerOrganisation } from './partner.entity';
import { PartnerRepository } from './partner.repository';

/**
 * Which of these customer ids the tenant does not have (provided by the CRM: access sits below
 * it and knows no customer table).
 */
export interface CustomerCheck {
  missing(tenant: string, ids: string[]): Promise<string[]>;
}
export const CUSTOMER_CHECK = Symbol('CUSTOMER_CHECK');

export interface PartnerView {
  id: string;
  tenant: string;
  name: string;
  kinds: PartnerKind[];
  contactEmail: string | null;
  status: 'active' | 'disabled';
  customerIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

const view = (p: PartnerOrganisation, customerIds: string[]): PartnerView => ({
  id: p.id,
  tenant: p.tenant,
  name: p.name,
  kinds: p.kinds,
  contactEmail: p.contactEmail,
  status: p.status,
  customerIds,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
});

/**
 * Partner organisations: shippers, consignees, suppliers and carriers the 3PL works with, each
 * linked to the unified customers it is. Their users and clients see only those customers'
 * records (the partner scope of the database).
 */
@Injectable()
export class PartnerService {
  constructor(
    private readonly store: PartnerRepository,
    private readonly modules: ModuleRef,
  ) {}

  async create(
    tenant: string,
    input: { name: string; kinds?: PartnerKind[]; contactEmail?: string; customerIds?: string[] },
  ): Promise<PartnerView> {
    const name = input.name.trim();
    if (await this.store.byName(tenant, name))
      throw new AppError('conflict', `a partner named ${name} exists in tenant ${tenant}`);
    const customerIds = [...new Set(input.customerIds ?? [])];
    await this.checkCustomers(tenant, customerIds);
    const p = await this.store
      .insert({
        tenant,
        name,
        kinds: [...new Set(input.kinds ?? [])],
        contactEmail: input.contactEmail?.trim().toLowerCase() ?? null,
      })
      .catch((e: unknown) => {
        if (sqlState(e) === '23505') throw new AppError('conflict', `a partner named ${name} exists`);
        throw e;
      });
    if (customerIds.length) await this.store.setCustomers(tenant, p.id, customerIds);
    const after = view(p, customerIds);
    noteChange({ targetType: 'partner', targetId: p.id, before: null, after: { ...after } });
    return after;
  }

  async list(tenant: string, limit: number, offset: number) {
    const [rows, total] = await this.store.page(tenant, limit, offset);
    const customers = await this.store.customersOf(rows.map((p) => p.id));
    return { items: rows.map((p) => view(p, customers.get(p.id) ?? [])), total, limit, offset };
  }

  async get(tenant: string, id: string): Promise<PartnerView> {
    const p = await this.store.byId(tenant, id);
    if (!p) throw new AppError('not-found', `partner ${id} not found`);
    return view(p, (await this.store.customersOf([id])).get(id) ?? []);
  }

  /** Whether the tenant shares anything with partners at all (an active partner organisation). */
  anyActive(tenant: string): Promise<boolean> {
    return this.store.anyActive(tenant);
  }

  /** Whether the partner exists in the tenant and is active (its users may log in). */
  async active(tenant: string, id: string): Promise<boolean> {
    return (await this.store.byId(tenant, id))?.status === 'active';
  }

  /** The partner, active, or an error naming why a credential cannot be made for it. */
  async usable(tenant: string, id: string): Promise<PartnerView> {
    const p = await this.store.byId(tenant, id);
    if (!p) throw new AppError('invalid', `partnerId: no partner ${id} in tenant ${tenant}`);
    if (p.status !== 'active') throw new AppError('invalid', `partnerId: partner ${p.name} is disabled`);
    return view(p, []);
  }

  /** Changes name, kinds, contact or status; disabling refuses its users and clients at once. */
  async update(
    tenant: string,
    id: string,
    patch: {
      name?: string;
      kinds?: PartnerKind[];
      contactEmail?: string | null;
      status?: 'active' | 'disabled';
    },
  ): Promise<PartnerView> {
    const before = await this.get(tenant, id);
    const name = patch.name?.trim();
    if (name && name !== before.name && (await this.store.byName(tenant, name)))
      throw new AppError('conflict', `a partner named ${name} exists in tenant ${tenant}`);
    await this.store.update(id, {
      ...(name ? { name } : {}),
      ...(patch.kinds ? { kinds: [...new Set(patch.kinds)] } : {}),
      ...(patch.contactEmail !== undefined
        ? { contactEmail: patch.contactEmail?.trim().toLowerCase() || null }
        : {}),
      ...(patch.status ? { status: patch.status } : {}),
    });
    const after = await this.get(tenant, id);
    const changed = (['name', 'kinds', 'contactEmail', 'status'] as const).filter(
      (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    noteChange({
      targetType: 'partner',
      targetId: id,
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, after[k]])),
    });
    return after;
  }

  /** Replaces the customers the partner is (what its users and clients see follows at once). */
  async setCustomers(tenant: string, id: string, customerIds: string[]): Promise<PartnerView> {
    const before = await this.get(tenant, id);
    const ids = [...new Set(customerIds)];
    await this.checkCustomers(tenant, ids);
    await this.store.setCustomers(tenant, id, ids);
    const after = await this.get(tenant, id);
    noteChange({
      targetType: 'partner',
      targetId: id,
      before: { customerIds: before.customerIds },
      after: { customerIds: after.customerIds },
    });
    return after;
  }

  private async checkCustomers(tenant: string, ids: string[]): Promise<void> {
    if (!ids.length) return;
    const check = this.modules.get<CustomerCheck>(CUSTOMER_CHECK, { strict: false });
    const missing = await check.missing(tenant, ids);
    if (missing.length)
      throw new AppError('invalid', `customerIds: no customer ${missing.join(', ')} in tenant ${tenant}`);
  }
}
