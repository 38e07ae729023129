import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CRM_CONFIG, CrmConfig } from '../crm-core.config';
import { CUSTOMER_FIELDS, CustomerField, FieldProvenance } from './customer.entity';
import { CustomerRepository } from './customer.repository';
import { changedFields, Golden, RecordVersion, survive } from './survivorship.util';

export interface Refreshed {
  customerId: string;
  tenant: string;
  /** Fields whose unified value changed; every field for a customer computed the first time. */
  changed: CustomerField[];
  /** The customer had no unified values yet (new). */
  isNew: boolean;
  provenanceOf: Partial<Record<CustomerField, FieldProvenance>>;
}

function sameProvenance(a: Refreshed['provenanceOf'], b: Refreshed['provenanceOf']): boolean {
  return CUSTOMER_FIELDS.every((f) => {
    const x = a[f];
    const y = b[f];
    if (!x || !y) return x === y;
    return x.value === y.value && x.source === y.source && x.sourceId === y.sourceId && x.at === y.at;
  });
}

/** Recomputes unified customers from their records (survivorship by per-field source priority). */
@Injectable()
export class CustomerGoldenService {
  constructor(
    private readonly customers: CustomerRepository,
    @Inject(CRM_CONFIG) private readonly config: CrmConfig,
  ) {}

  /** The unified fields of a customer made of these records (a new customer: its one record). */
  compute(records: RecordVersion[]): Pick<Golden, 'values' | 'provenance'> {
    return survive(records, this.config.priority);
  }

  /** Locks the active customers among `ids`, recomputes them, saves those that changed. */
  async refresh(tx: EntityManager, ids: string[]): Promise<Refreshed[]> {
    const locked = (await this.customers.lockCustomers(tx, ids)).filter((c) => c.status === 'active');
    if (!locked.length) return [];
    const records = await this.customers.recordsOf(
      tx,
      locked.map((c) => c.id),
    );
    const byCustomer = new Map<string, typeof records>();
    for (const r of records) byCustomer.set(r.customerId, [...(byCustomer.get(r.customerId) ?? []), r]);
    const out: Refreshed[] = [];
    const save = [];
    for (const c of locked) {
      const own = byCustomer.get(c.id);
      if (!own?.length) continue;
      const golden = survive(own, this.config.priority);
      const changed = changedFields(c.values, golden.values);
      const isNew = c.values === null;
      if (!changed.length && !isNew && sameProvenance(c.provenance, golden.provenance)) continue;
      save.push({ id: c.id, values: golden.values, provenance: golden.provenance });
      out.push({ customerId: c.id, tenant: c.tenant, changed, isNew, provenanceOf: golden.provenance });
    }
    await this.customers.saveGolden(tx, save);
    return out;
  }
}
