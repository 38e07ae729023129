import { Permission } from '@tradelane/http';

/**
 * What the partner API shows of each resource: one entry per resource, every field named with its
 * SQL (data, not ifs). The list, the detail, field selection and the webhook payloads all read these,
 * so a field is either in a partner's answer everywhere or nowhere.
 */
export interface PartnerResource {
  table: string;
  /** The permission that lists the resource. */
  read: Permission;
  /** Field name → SQL, what every partner with `read` sees. */
  fields: Record<string, string>;
  /** Fields shown only with another permission (order amounts: invoices:read). */
  guarded?: { permission: Permission; fields: Record<string, string> };
  /** The column `?status=` filters on. */
  status?: string;
  /** The column `?from=` / `?to=` filter on (the resource's business date). */
  date: string;
  /** Other equality filters: query parameter → column. */
  filters?: Record<string, string>;
  /** Boolean filters: query parameter → SQL condition when `true`. */
  flags?: Record<string, string>;
}

const STAMPS = { createdAt: 'created_at', updatedAt: 'updated_at' };

export const PARTNER_RESOURCES = {
  orders: {
    table: 'crm_order',
    read: 'orders:read',
    fields: {
      id: 'id',
      source: 'source',
      externalId: 'external_id',
      status: 'status',
      orderedAt: 'ordered_at',
      requiredAt: 'required_at',
      shippedAt: 'shipped_at',
      carrier: 'carrier',
      lines: 'lines',
      ...STAMPS,
    },
    guarded: {
      permission: 'invoices:read',
      fields: { currency: 'currency', freight: 'freight', totalAmount: 'total_amount' },
    },
    status: 'status',
    date: 'ordered_at',
  },
  shipments: {
    table: 'crm_delivery',
    read: 'shipments:read',
    fields: {
      id: 'id',
      source: 'source',
      externalId: 'external_id',
      orderExternalId: 'order_external_id',
      status: 'status',
      statusAt: 'status_at',
      carrier: 'carrier',
      trackingRefs: 'tracking_refs',
      promisedFrom: 'promised_from',
      promisedTo: 'promised_to',
      eta: 'coalesce(delivered_at, promised_to)',
      position: 'location',
      pickedUpAt: 'picked_up_at',
      deliveredAt: 'delivered_at',
      packages: 'packages',
      ...STAMPS,
    },
    status: 'status',
    date: 'status_at',
    filters: { orderExternalId: 'order_external_id' },
  },
  invoices: {
    table: 'crm_invoice',
    read: 'invoices:read',
    fields: {
      id: 'id',
      source: 'source',
      externalId: 'external_id',
      orderExternalId: 'order_external_id',
      issuedAt: 'issued_at',
      dueAt: 'due_at',
      currency: 'currency',
      totalAmount: 'total_amount::float8',
      paidAmount: 'paid_amount::float8',
      openAmount: 'greatest(total_amount - paid_amount, 0)::float8',
      overdue: `(due_at < now() AND total_amount > paid_amount AND status NOT IN ('PAID', 'CANCELLED'))`,
      status: 'status',
      disputed: 'disputed',
      ...STAMPS,
    },
    status: 'status',
    date: 'issued_at',
    flags: {
      overdue: `due_at < now() AND total_amount > paid_amount AND status NOT IN ('PAID', 'CANCELLED')`,
      open: `total_amount > paid_amount AND status NOT IN ('PAID', 'CANCELLED')`,
    },
  },
  cases: {
    table: 'crm_case',
    read: 'cases:read',
    fields: {
      id: 'id',
      number: 'number',
      type: 'type',
      priority: 'priority',
      status: 'status',
      subject: 'subject',
      orderExternalId: 'order_external_id',
      deliveryExternalId: 'delivery_external_id',
      invoiceExternalId: 'invoice_external_id',
      openedAt: 'opened_at',
      firstResponseDueAt: 'first_response_due_at',
      firstRespondedAt: 'first_responded_at',
      resolutionDueAt: 'resolution_due_at',
      resolvedAt: 'resolved_at',
      resolution: 'resolution',
      ...STAMPS,
    },
    status: 'status',
    date: 'opened_at',
    filters: { type: 'type', priority: 'priority' },
  },
  stock: {
    table: 'crm_stock_level',
    read: 'inventory:read',
    fields: {
      id: 'id',
      source: 'source',
      warehouse: 'warehouse',
      sku: 'sku',
      lot: `nullif(lot, '')`,
      status: 'status',
      quantity: 'quantity::float8',
      unit: 'unit',
      asOf: 'as_of',
      ...STAMPS,
    },
    status: 'status',
    date: 'as_of',
    filters: { sku: 'sku', warehouse: 'warehouse', lot: 'lot' },
  },
} satisfies Record<string, PartnerResource>;

export type PartnerResourceName = keyof typeof PARTNER_RESOURCES;
export const PARTNER_RESOURCE_NAMES = Object.keys(PARTNER_RESOURCES) as PartnerResourceName[];

/** The field names of a resource a principal with `permissions` may see. */
export function visibleFields(
  resource: PartnerResourceName,
  permissions: ReadonlySet<string>,
): Record<string, string> {
  const r: PartnerResource = PARTNER_RESOURCES[resource];
  return r.guarded && permissions.has(r.guarded.permission) ? { ...r.fields, ...r.guarded.fields } : r.fields;
}
