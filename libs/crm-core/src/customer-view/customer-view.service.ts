import { Injectable } from '@nestjs/common';
import { ContactV1 } from '@tradelane/contracts';
import { AppError, visibleToRequest } from '@tradelane/http';
import { CustomerDirectory, CustomerView } from '../customer/customer-directory';
import { CUSTOMER_FIELDS } from '../customer/customer.constants';
import {
  Customer360Dto,
  CustomerProfileDto,
  DeliveryDetailDto,
  SourceIdentityDto,
} from '../customer/customer.dto';
import { CustomerViewRepository, ViewScope } from './customer-view.repository';

const RECENT = 10;
const TIMELINE_PAGE = 20;

export interface Resolved {
  customer: CustomerView;
  /** The id asked for was merged into `customer.id`. */
  redirectedFrom: string | null;
  scope: ViewScope;
  records: Awaited<ReturnType<CustomerViewRepository['records']>>;
}

/** The customer 360: one customer across every system, each part traceable to its records. */
@Injectable()
export class CustomerViewService {
  constructor(
    private readonly customers: CustomerDirectory,
    private readonly view: CustomerViewRepository,
  ) {}

  async resolve(id: string): Promise<Resolved> {
    const customer = await this.customers.find(id);
    if (!customer) throw new AppError('not-found', `customer ${id} not found`);
    const records = await this.view.records(customer.id);
    return {
      customer,
      redirectedFrom: customer.id === id ? null : id,
      records,
      scope: {
        customerId: customer.id,
        tenant: customer.tenant,
        sources: records.map((r) => r.source),
        externalIds: records.map((r) => r.externalId),
      },
    };
  }

  async get(id: string): Promise<Customer360Dto> {
    const r = await this.resolve(id);
    const { scope, customer } = r;
    const [
      orders,
      recentOrders,
      deliveries,
      deliveryStatus,
      openInvoices,
      invoices,
      timeline,
      freshness,
      roles,
      proposals,
      segment,
      cases,
      onTime,
      stock,
    ] = await Promise.all([
      this.view.orderSummary(scope),
      this.view.orders(scope, RECENT, 0, false),
      this.view.deliveries(scope, RECENT, 0),
      this.view.deliveryStatusCounts(scope),
      this.view.invoices(scope, true, RECENT, 0),
      this.view.invoiceSummary(scope),
      this.view.timeline(scope, TIMELINE_PAGE, 0),
      this.view.freshness(scope),
      this.view.roles(scope),
      this.view.pendingProposals(customer.id),
      this.view.segment(customer.id),
      this.view.cases(scope),
      this.view.deliveryOnTime(scope),
      this.view.stockSummary(scope),
    ]);
    return {
      redirectedFrom: r.redirectedFrom,
      profile: profileOf(customer),
      identities: identitiesOf(r.records),
      contacts: contactsOf(r.records),
      addresses: r.records.flatMap((rec) =>
        ((rec.data.addresses as Record<string, unknown>[] | undefined) ?? []).map((a) => ({
          ...a,
          source: rec.source,
          sourceId: rec.externalId,
        })),
      ),
      roles,
      orders: { ...orders, recent: recentOrders.items },
      deliveries: { total: deliveries.total, byStatus: deliveryStatus, onTime, recent: deliveries.items },
      invoices: { ...invoices, open: openInvoices.items },
      timeline: { total: timeline.total, items: timeline.items },
      freshness,
      pendingMergeProposals: proposals,
      segment,
      cases,
      stock,
    };
  }

  async identities(id: string): Promise<SourceIdentityDto[]> {
    return identitiesOf((await this.resolve(id)).records);
  }

  async orders(id: string, limit: number, offset: number) {
    return this.view.orders((await this.resolve(id)).scope, limit, offset);
  }

  async deliveries(id: string, limit: number, offset: number) {
    return this.view.deliveries((await this.resolve(id)).scope, limit, offset);
  }

  async stock(id: string, sku: string | undefined, limit: number, offset: number) {
    return this.view.stock((await this.resolve(id)).scope, sku, limit, offset);
  }

  async stockMovements(id: string, sku: string | undefined, limit: number, offset: number) {
    return this.view.stockMovements((await this.resolve(id)).scope, sku, limit, offset);
  }

  async invoices(id: string, openOnly: boolean, limit: number, offset: number) {
    return this.view.invoices((await this.resolve(id)).scope, openOnly, limit, offset);
  }

  async delivery(id: string): Promise<DeliveryDetailDto> {
    const d = await this.view.delivery(id);
    if (!d || !visibleToRequest((d as { tenant?: string }).tenant ?? ''))
      throw new AppError('not-found', `delivery ${id} not found`);
    return d;
  }

  async timeline(id: string, limit: number, offset: number) {
    return this.view.timeline((await this.resolve(id)).scope, limit, offset);
  }
}

/** Every unified field with its provenance (value, source, source id, event time). */
export function profileOf(c: CustomerView): CustomerProfileDto {
  const values = {
    name: c.name,
    vatId: c.vat_id,
    eori: c.eori,
    duns: c.duns,
    email: c.email,
    phone: c.phone,
    street: c.street,
    city: c.city,
    postalCode: c.postal_code,
    country: c.country,
  };
  return {
    id: c.id,
    tenant: c.tenant,
    status: c.status,
    ...values,
    fields: Object.fromEntries(
      CUSTOMER_FIELDS.map((f) => [
        f,
        c.provenance[f] ?? { value: values[f], source: null, sourceId: null, at: null },
      ]),
    ),
    revision: c.revision,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}

function identitiesOf(records: Resolved['records']): SourceIdentityDto[] {
  return records.map((rec) => ({
    source: rec.source,
    system: rec.source.split(':')[0],
    context: rec.context,
    externalId: rec.externalId,
    identifiers: {
      vatId: rec.data.vatId ?? null,
      eori: rec.data.eori ?? null,
      duns: rec.data.duns ?? null,
      other: rec.data.identifiers ?? [],
    },
    sourceUpdatedAt: rec.sourceUpdatedAt,
    receivedAt: rec.receivedAt,
    homeCustomerId: rec.homeCustomerId,
  }));
}

function contactsOf(records: Resolved['records']) {
  const seen = new Set<string>();
  const out: (ContactV1 & { source: string; sourceId: string })[] = [];
  for (const r of records)
    for (const c of (r.data.contacts as ContactV1[] | undefined) ?? []) {
      const k = (c.email ?? c.name).toLowerCase();
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ ...c, source: r.source, sourceId: r.externalId });
    }
  return out;
}
