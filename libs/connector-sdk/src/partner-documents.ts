import type { EdiStandard, TradingPartner } from './edi-context';

/**
 * The records a trading partner is sent EDI documents about, as the partner API shows them to that
 * partner (GET /partner/v1/shipments/:id …): the same shape, read under the partner's scope, so an
 * EDI partner is told what a partner client would be shown and nothing else.
 */
export interface PartnerShipmentRecord {
  id: string;
  source: string;
  externalId: string;
  orderExternalId?: string | null;
  status: string;
  statusAt: string;
  carrier?: string | null;
  trackingRefs?: string[];
  promisedFrom?: string | null;
  promisedTo?: string | null;
  eta?: string | null;
  position?: string | null;
  pickedUpAt?: string | null;
  deliveredAt?: string | null;
  packages?: { ref: string; weightKg?: number; type?: string }[];
}

export interface PartnerInvoiceRecord {
  id: string;
  source: string;
  externalId: string;
  orderExternalId?: string | null;
  issuedAt: string;
  dueAt: string;
  currency: string;
  totalAmount: number;
  paidAmount: number;
  openAmount: number;
  status: string;
}

export interface PartnerStockRecord {
  id: string;
  source: string;
  warehouse: string;
  sku: string;
  lot?: string | null;
  status: string;
  quantity: number;
  unit: string;
  asOf: string;
}

interface DocumentRule<R> {
  standard: EdiStandard;
  /** The partner API resource the document is about, and the scope that reads it. */
  resource: 'shipments' | 'invoices' | 'stock';
  scope: 'shipments:read' | 'invoices:read' | 'inventory:read';
  /** The CRM event that may make it owed (`crm.<x>.changed.v1`, ids only). */
  event: string;
  what: string;
  /** Whether the record, as it is now, calls for the document at all. */
  when: (r: R) => boolean;
  /**
   * What must differ from the last one sent for another to be owed; `''`: only ever one per record
   * (a despatch advice, an invoice).
   */
  fingerprint: (r: R) => string;
}

/** Despatched: on its way or further (a despatch advice is sent once, when the goods have left). */
const DESPATCHED = new Set(['PICKED_UP', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']);

const shipmentStatus: DocumentRule<PartnerShipmentRecord> = {
  standard: 'x12',
  resource: 'shipments',
  scope: 'shipments:read',
  event: 'crm.shipment.changed.v1',
  what: 'shipment status',
  when: () => true,
  fingerprint: (r) => [r.status, r.statusAt, r.position ?? ''].join('|'),
};
const despatch: DocumentRule<PartnerShipmentRecord> = {
  ...shipmentStatus,
  what: 'despatch advice',
  when: (r) => DESPATCHED.has(r.status) || !!r.pickedUpAt,
  fingerprint: () => '',
};
const invoice: DocumentRule<PartnerInvoiceRecord> = {
  standard: 'x12',
  resource: 'invoices',
  scope: 'invoices:read',
  event: 'crm.invoice.changed.v1',
  what: 'invoice',
  when: (r) => r.status !== 'CANCELLED',
  fingerprint: () => '',
};
const stock: DocumentRule<PartnerStockRecord> = {
  standard: 'x12',
  resource: 'stock',
  scope: 'inventory:read',
  event: 'crm.stock.changed.v1',
  what: 'inventory report',
  when: () => true,
  fingerprint: (r) => [r.quantity, r.status, r.unit, r.asOf].join('|'),
};
const edifact = <R>(rule: DocumentRule<R>): DocumentRule<R> => ({ ...rule, standard: 'edifact' });
/** X12 846 reports on hand / available (QTY 17), on hold (QH) and damaged (74): allocated is not a level it carries. */
const x12Stock: DocumentRule<PartnerStockRecord> = { ...stock, when: (r) => r.status !== 'allocated' };

/**
 * The documents a trading partner may ask for (its `outboundDocuments`), as data: which standard,
 * which record, which event, and when one is owed. A 214 / IFTSTA goes out when the status, its time
 * or the position changed; an 856 / DESADV once, when the shipment has left; an 810 / INVOIC once per
 * invoice (not a cancelled one); an 846 / INVRPT when the level changed (846: not allocated stock).
 */
export const PARTNER_DOCUMENTS = {
  '214': shipmentStatus,
  '856': despatch,
  '810': invoice,
  '846': x12Stock,
  IFTSTA: edifact(shipmentStatus),
  DESADV: edifact(despatch),
  INVOIC: edifact(invoice),
  INVRPT: edifact(stock),
} as const;

export type PartnerDocumentType = keyof typeof PARTNER_DOCUMENTS;

/** The CRM events partner documents come from: what a connector writing them lists in `send`. */
export const PARTNER_DOCUMENT_EVENTS = [
  'crm.shipment.changed.v1',
  'crm.invoice.changed.v1',
  'crm.stock.changed.v1',
] as const;
export const PARTNER_DOCUMENT_TYPES = Object.keys(PARTNER_DOCUMENTS) as PartnerDocumentType[];

/** The rule of a document, typed loosely (for the host, which holds records as read). */
export const documentRule = (d: PartnerDocumentType): DocumentRule<Record<string, unknown>> =>
  PARTNER_DOCUMENTS[d] as unknown as DocumentRule<Record<string, unknown>>;

/** One document a send owes: to whom, and the record as that partner may see it. */
export type OwedDocument =
  | { document: '214' | '856' | 'IFTSTA' | 'DESADV'; partner: TradingPartner; record: PartnerShipmentRecord }
  | { document: '810' | 'INVOIC'; partner: TradingPartner; record: PartnerInvoiceRecord }
  | { document: '846' | 'INVRPT'; partner: TradingPartner; record: PartnerStockRecord };
