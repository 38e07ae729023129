import { Injectable } from '@nestjs/common';
import { Database } from '@tradelane/persistence';
import { PartnerCustomer, PartnerOrganisation } from './partner.entity';

/** The partner organisations of a tenant and the customers each is. */
@Injectable()
export class PartnerRepository {
  constructor(private readonly db: Database) {}

  byId(tenant: string, id: string): Promise<PartnerOrganisation | null> {
    return this.db.read((m) => m.getRepository(PartnerOrganisation).findOneBy({ tenant, id }));
  }

  byName(tenant: string, name: string): Promise<PartnerOrganisation | null> {
    return this.db.read((m) => m.getRepository(PartnerOrganisation).findOneBy({ tenant, name }));
  }

  /** Whether the tenant has an active partner organisation. */
  async anyActive(tenant: string): Promise<boolean> {
    const rows = await this.db.sql(
      `SELECT 1 FROM auth_partner WHERE tenant = $1 AND status = 'active' LIMIT 1`,
      [tenant],
    );
    return rows.length > 0;
  }

  page(tenant: string, limit: number, offset: number): Promise<[PartnerOrganisation[], number]> {
    return this.db.read((m) =>
      m.getRepository(PartnerOrganisation).findAndCount({
        where: { tenant },
        order: { name: 'ASC' },
        take: limit,
        skip: offset,
      }),
    );
  }

  insert(
    p: Pick<PartnerOrganisation, 'tenant' | 'name' | 'kinds' | 'contactEmail'>,
  ): Promise<PartnerOrganisation> {
    return this.db.read((m) =>
      m.getRepository(PartnerOrganisation).save(m.getRepository(PartnerOrganisation).create(p)),
    );
  }

  async update(
    id: string,
    patch: Partial<Pick<PartnerOrganisation, 'name' | 'kinds' | 'contactEmail' | 'status'>>,
  ): Promise<void> {
    await this.db.read((m) =>
      m.getRepository(PartnerOrganisation).update({ id }, { ...patch, updatedAt: new Date() }),
    );
  }

  /** The customer ids of each of these partners. */
  async customersOf(ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map(ids.map((id) => [id, [] as string[]]));
    if (!ids.length) return out;
    const rows = await this.db.sql<{ partner_id: string; customer_id: string }>(
      `SELECT partner_id, customer_id FROM auth_partner_customer WHERE partner_id = ANY($1::uuid[])
        ORDER BY created_at, customer_id`,
      [ids],
    );
    for (const r of rows) out.get(r.partner_id)?.push(r.customer_id);
    return out;
  }

  /** Replaces the customers a partner is. */
  async setCustomers(tenant: string, partnerId: string, customerIds: string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `DELETE FROM auth_partner_customer WHERE partner_id = $1 AND NOT (customer_id = ANY($2::uuid[]))`,
        [partnerId, customerIds],
      );
      if (customerIds.length)
        await tx
          .createQueryBuilder()
          .insert()
          .into(PartnerCustomer)
          .values(customerIds.map((customerId) => ({ partnerId, customerId, tenant })))
          .orIgnore()
          .execute();
    });
  }
}
