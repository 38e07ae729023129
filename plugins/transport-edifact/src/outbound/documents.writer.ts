import type {
  OwedDocument,
  PartnerInvoiceRecord,
  PartnerShipmentRecord,
  PartnerStockRecord,
} from '@tradelane/connector-sdk';
import { ConnectorError } from '@tradelane/connector-sdk';
import { EdifactDocumentWriter, EdifactOut } from '@tradelane/connector-sdk/edi';

/** CCYYMMDDHHMM (format 203, UTC) of an ISO time. */
const when = (iso: string): string => new Date(iso).toISOString().slice(0, 16).replace(/[-T:]/g, '');
const dtm = (qualifier: string, iso: string): EdifactOut => ['DTM', [qualifier, when(iso), '203']];

/** An identifier (an..35 in these messages): refused with the element named when longer, never cut. */
function an35(v: string, element: string): string {
  if (v.length > 35)
    throw new ConnectorError(
      'permanent',
      `${element} "${v}" is longer than the 35 characters EDIFACT allows`,
      {
        field: element,
      },
    );
  return v;
}

/**
 * Our delivery status → the STS status description (C556: UNTDID 4405 code where there is one, and
 * the words every reader, ours included, maps).
 */
const STS_OF_STATUS: Readonly<Record<string, [string, string]>> = {
  CREATED: ['', 'shipment created'],
  PLANNED: ['', 'planned'],
  PICKED_UP: ['8', 'picked up'],
  IN_TRANSIT: ['24', 'in transit'],
  OUT_FOR_DELIVERY: ['15', 'out for delivery'],
  DELIVERED: ['21', 'delivered'],
  EXCEPTION: ['', 'exception'],
  RETURNED: ['', 'returned'],
  CANCELLED: ['', 'cancelled'],
};

/**
 * A shipment as the partner may see it → IFTSTA (D.96A): BGM 23 (status report), DTM 137, NAD CA
 * the carrier, one CNI with one STS (the status), RFF BM the shipment, RFF ON the order, RFF CN the
 * first tracking reference, DTM 334 its status time, LOC 175 the position. Our IFTSTA reader gives
 * back the same status, time, order and position (tested).
 */
export function writeIftsta(r: PartnerShipmentRecord, reference: string): EdifactOut[] {
  const [code, text] = STS_OF_STATUS[r.status] ?? ['', 'in transit'];
  return [
    ['BGM', '23', reference, '9'],
    dtm('137', r.statusAt),
    ...(r.carrier ? [['NAD', 'CA', '', '', r.carrier.slice(0, 35)] as EdifactOut] : []),
    ['CNI', '1'],
    ['STS', '1', [code, '', '', text]],
    ['RFF', ['BM', an35(r.externalId, 'RFF 1154 (shipment)')]],
    ...(r.orderExternalId
      ? [['RFF', ['ON', an35(r.orderExternalId, 'RFF 1154 (order)')]] as EdifactOut]
      : []),
    ...(r.trackingRefs?.[0]
      ? [['RFF', ['CN', an35(r.trackingRefs[0], 'RFF 1154 (tracking)')]] as EdifactOut]
      : []),
    dtm('334', r.statusAt),
    ...(r.position ? [['LOC', '175', ['', '', '', r.position.slice(0, 256)]] as EdifactOut] : []),
  ];
}

/**
 * A despatched shipment → DESADV (D.96A): BGM 351 with the shipment, DTM 137 and 11 (despatched),
 * DTM 132 the estimated arrival, RFF ON the order, TDT 20 with the carrier, CPS 1 with one PAC per
 * package and its GIN (BJ: SSCC; ML: any other label). Our DESADV reader gives back the same
 * shipment (tested).
 */
export function writeDesadv(r: PartnerShipmentRecord): EdifactOut[] {
  const shipped = r.pickedUpAt ?? r.statusAt;
  const eta = r.deliveredAt ? null : (r.eta ?? r.promisedTo ?? null);
  const out: EdifactOut[] = [
    ['BGM', '351', an35(r.externalId, 'BGM 1004 (shipment)'), '9'],
    dtm('137', shipped),
    dtm('11', shipped),
    ...(eta && eta > shipped ? [dtm('132', eta)] : []),
    ...(r.orderExternalId
      ? [['RFF', ['ON', an35(r.orderExternalId, 'RFF 1154 (order)')]] as EdifactOut]
      : []),
    ...(r.carrier ? [['TDT', '20', '', '', '', r.carrier.slice(0, 35)] as EdifactOut] : []),
    ['CPS', '1'],
  ];
  for (const p of r.packages ?? [])
    out.push(['PAC', '1'], ['GIN', p.type === 'SSCC' ? 'BJ' : 'ML', an35(p.ref, 'GIN 7402 (package)')]);
  return out;
}

/**
 * An invoice → INVOIC (D.96A): BGM 380 with its number, DTM 137 issued and 13 due, RFF ON the order,
 * CUX 2 the currency, UNS S, MOA 77 the total (and 9, the amount still due). No LIN lines: the CRM
 * keeps totals, not lines. Our INVOIC reader gives back the same invoice (tested).
 */
export function writeInvoic(r: PartnerInvoiceRecord): EdifactOut[] {
  return [
    ['BGM', '380', an35(r.externalId, 'BGM 1004 (invoice number)'), '9'],
    ['DTM', ['137', r.issuedAt.slice(0, 10).replace(/-/g, ''), '102']],
    ['DTM', ['13', r.dueAt.slice(0, 10).replace(/-/g, ''), '102']],
    ...(r.orderExternalId
      ? [['RFF', ['ON', an35(r.orderExternalId, 'RFF 1154 (order)')]] as EdifactOut]
      : []),
    ['CUX', ['2', r.currency, '4']],
    ['UNS', 'S'],
    ['MOA', ['77', r.totalAmount.toFixed(2)]],
    ['MOA', ['9', r.openAmount.toFixed(2)]],
  ];
}

/** Our stock status → the INVRPT QTY 6063 qualifier (EANCOM: 145 actual, 156 blocked, 124 damaged, 192 allocated). */
const QTY_OF_STATUS: Readonly<Record<string, string>> = {
  available: '145',
  'on-hold': '156',
  damaged: '124',
  allocated: '192',
};

/**
 * A stock level → INVRPT (D.96A): BGM 35 (inventory report) with its reference, DTM 366 the time of
 * the level, LOC 18 the warehouse, LIN with the SKU (SA, supplier's article number), PIA 1 the lot
 * (NB), QTY with the status's qualifier, quantity and unit. Our INVRPT reader gives back the same
 * level (tested).
 */
export function writeInvrpt(r: PartnerStockRecord, reference: string): EdifactOut[] {
  return [
    ['BGM', '35', reference, '9'],
    dtm('366', r.asOf),
    ['LOC', '18', an35(r.warehouse, 'LOC 3225 (warehouse)')],
    ['LIN', '1', '', [an35(r.sku, 'LIN 7140 (SKU)'), 'SA']],
    ...(r.lot ? [['PIA', '1', [an35(r.lot, 'PIA 7140 (lot)'), 'NB']] as EdifactOut] : []),
    ['QTY', [QTY_OF_STATUS[r.status] ?? '145', String(r.quantity), r.unit.slice(0, 3)]],
  ];
}

export const EDIFACT_DOCUMENTS = {
  IFTSTA: {
    s009: ['IFTSTA', 'D', '96A', 'UN'],
    write: (d: OwedDocument, ref: string) => writeIftsta(d.record as PartnerShipmentRecord, ref),
  },
  DESADV: {
    s009: ['DESADV', 'D', '96A', 'UN'],
    write: (d: OwedDocument) => writeDesadv(d.record as PartnerShipmentRecord),
  },
  INVOIC: {
    s009: ['INVOIC', 'D', '96A', 'UN'],
    write: (d: OwedDocument) => writeInvoic(d.record as PartnerInvoiceRecord),
  },
  INVRPT: {
    s009: ['INVRPT', 'D', '96A', 'UN'],
    write: (d: OwedDocument, ref: string) => writeInvrpt(d.record as PartnerStockRecord, ref),
  },
} satisfies Record<string, EdifactDocumentWriter>;
