import type {
  OwedDocument,
  PartnerInvoiceRecord,
  PartnerShipmentRecord,
  PartnerStockRecord,
} from '../../partner-documents';
import type { X12DocumentWriter } from '../partner-documents.out';
import { x12Date, x12Decimal, x12Id, X12SetOut, x12Text, x12Time } from './x12.writer';

type SetBody = Omit<X12SetOut, 'control'>;

/** Our delivery status → the AT701 shipment status code a 214 reports it with (the transport-x12 reader's AT7_STATUS reads each back). */
export const STATUS_AT7: Readonly<Record<string, string>> = {
  CREATED: 'XB',
  PLANNED: 'AA',
  PICKED_UP: 'AF',
  IN_TRANSIT: 'X6',
  OUT_FOR_DELIVERY: 'OO',
  DELIVERED: 'D1',
  EXCEPTION: 'AP',
  RETURNED: 'A3',
  CANCELLED: 'CA',
};

/** A carrier's SCAC (two to four letters): only then is it written where X12 wants one (B1003, MS201). */
export const scacOf = (carrier: string | null | undefined): string | undefined =>
  carrier && /^[A-Z]{2,4}$/.test(carrier.trim()) ? carrier.trim() : undefined;

/** MS1 of a position as we read it back ("city, state, country"): the parts where they fit, else the city. */
function ms1(position: string): string[] {
  const parts = position.split(',').map((p) => p.trim());
  if (parts.length === 3 && /^[A-Z]{2}$/.test(parts[1]) && /^[A-Z]{2,3}$/.test(parts[2]))
    return ['MS1', x12Text(parts[0], 30), parts[1], parts[2]];
  if (parts.length === 2 && /^[A-Z]{2,3}$/.test(parts[1]))
    return ['MS1', x12Text(parts[0], 30), '', parts[1]];
  return ['MS1', x12Text(position, 30)];
}

/**
 * A shipment as the partner may see it → 214 Transportation Carrier Shipment Status (4010): B10
 * (B1001 its first tracking reference, B1002 the shipment, B1003 the carrier's SCAC), L11 PO the
 * order, one LX with AT7 (status by STATUS_AT7, reason NS, at its status time in UTC) and MS1 where
 * it is, MS2 SCAC and the tracking reference. Our own 214 reader gives back the same status, time,
 * order, position and references (tested). ETA is not written: an AT7 AG "estimated delivery" is
 * read by many receivers (ours too) as a status event at the estimated time.
 */
export function write214(record: PartnerShipmentRecord): SetBody {
  const shipment = x12Id(record.externalId, 30, 'B1002 (shipment id)');
  const refs = record.trackingRefs ?? [];
  const scac = scacOf(record.carrier);
  const segments: string[][] = [
    ['B10', x12Id(refs[0] ?? shipment, 30, 'B1001 (tracking reference)'), shipment, ...(scac ? [scac] : [])],
  ];
  if (record.orderExternalId)
    segments.push(['L11', x12Id(record.orderExternalId, 30, 'L1101 (order)'), 'PO']);
  segments.push(['LX', '1']);
  segments.push([
    'AT7',
    STATUS_AT7[record.status] ?? 'X6',
    'NS',
    '',
    '',
    x12Date(record.statusAt),
    x12Time(record.statusAt),
    'UT',
  ]);
  if (record.position) segments.push(ms1(record.position));
  if (scac && refs[1]) segments.push(['MS2', scac, x12Id(refs[1], 30, 'MS202 (tracking reference)')]);
  return { type: '214', segments };
}

/** A carrier's SCAC goes in TD503; any other name in TD505 (routing). */
const td5 = (carrier: string): string[] => {
  const scac = scacOf(carrier);
  return scac ? ['TD5', '', '2', scac] : ['TD5', '', '', '', '', x12Text(carrier, 35)];
};

/**
 * A despatched shipment as the partner may see it → 856 Ship Notice/Manifest (4010), structure
 * S-O-P: BSN (00 original, the shipment, date and time it left), HL S with TD5 carrier, REF CN for
 * each tracking reference and DTM 011 shipped; HL O with PRF the order; one HL P per package with MAN
 * GM (SSCC; else MAN CP, the carrier's label) and PO4 gross weight in KG; CTT the number of HLs. Our
 * 856 reader gives back the same shipment (tested).
 */
export function write856(r: PartnerShipmentRecord): SetBody {
  const shipped = r.pickedUpAt ?? r.statusAt;
  const segments: string[][] = [
    ['BSN', '00', x12Id(r.externalId, 30, 'BSN02 (shipment id)'), x12Date(shipped), x12Time(shipped)],
    ['HL', '1', '', 'S'],
  ];
  if (r.carrier) segments.push(td5(r.carrier));
  for (const ref of r.trackingRefs ?? [])
    segments.push(['REF', 'CN', x12Id(ref, 30, 'REF02 (tracking reference)')]);
  segments.push(['DTM', '011', x12Date(shipped), x12Time(shipped), 'UT']);
  segments.push(['HL', '2', '1', 'O']);
  if (r.orderExternalId) segments.push(['PRF', x12Id(r.orderExternalId, 22, 'PRF01 (order)')]);
  (r.packages ?? []).forEach((p, i) => {
    segments.push(['HL', String(i + 3), '2', 'P']);
    if (p.weightKg !== undefined) segments.push(['PO4', '1', '', '', '', 'G', x12Decimal(p.weightKg), 'KG']);
    segments.push(['MAN', p.type === 'SSCC' ? 'GM' : 'CP', x12Id(p.ref, 48, `HL ${i + 3} MAN02 (package)`)]);
  });
  segments.push(['CTT', String(2 + (r.packages?.length ?? 0))]);
  return { type: '856', segments };
}

/**
 * An invoice as the partner may see it → 810 Invoice (4010): BIG (issued, number, the order), CUR
 * SE currency, ITD 05 with the net due date (ITD06), TDS total in cents (implied two decimals). No
 * IT1 lines: the CRM keeps the invoice's totals, not its lines. Our 810 reader gives back the same
 * invoice (tested).
 */
export function write810(r: PartnerInvoiceRecord): SetBody {
  return {
    type: '810',
    segments: [
      [
        'BIG',
        x12Date(r.issuedAt),
        x12Id(r.externalId, 22, 'BIG02 (invoice number)'),
        '',
        ...(r.orderExternalId ? [x12Id(r.orderExternalId, 22, 'BIG04 (order)')] : []),
      ],
      ['CUR', 'SE', x12Text(r.currency, 3)],
      ['ITD', '05', '3', '', '', '', x12Date(r.dueAt)],
      ['TDS', String(Math.round(r.totalAmount * 100))],
    ],
  };
}

/** Our stock status → the 846 QTY01 quantity qualifier (17 on hand, QH on hold, 74 damaged). */
const QTY_OF_STATUS: Readonly<Record<string, string>> = { available: '17', 'on-hold': 'QH', damaged: '74' };

/**
 * A stock level as the partner may see it → 846 Inventory Inquiry/Advice (4010): BIA (00, MM,
 * reference, date and time of the level), N1 WH the warehouse (N104 its id), LIN VN the SKU (LT the
 * lot), QTY with the status's qualifier, quantity and unit. Our 846 reader gives back the same level
 * (tested).
 */
export function write846(r: PartnerStockRecord, reference: string): SetBody {
  return {
    type: '846',
    segments: [
      ['BIA', '00', 'MM', x12Id(reference, 30, 'BIA03 (reference)'), x12Date(r.asOf), x12Time(r.asOf)],
      ['N1', 'WH', x12Text(r.warehouse, 60), '91', x12Id(r.warehouse, 80, 'N104 (warehouse)')],
      [
        'LIN',
        '',
        'VN',
        x12Id(r.sku, 48, 'LIN03 (SKU)'),
        ...(r.lot ? ['LT', x12Id(r.lot, 48, 'LIN05 (lot)')] : []),
      ],
      ['QTY', QTY_OF_STATUS[r.status] ?? '17', x12Decimal(r.quantity), x12Text(r.unit, 2) || 'EA'],
    ],
  };
}

/**
 * The X12 documents to trading partners every X12 connector writes (its capabilities.documents):
 * 214 (GS01 QM), 856 (SH), 810 (IN), 846 (IB).
 */
export const X12_PARTNER_DOCUMENTS = {
  '214': { functionalId: 'QM', write: (d: OwedDocument) => write214(d.record as PartnerShipmentRecord) },
  '856': { functionalId: 'SH', write: (d: OwedDocument) => write856(d.record as PartnerShipmentRecord) },
  '810': { functionalId: 'IN', write: (d: OwedDocument) => write810(d.record as PartnerInvoiceRecord) },
  '846': {
    functionalId: 'IB',
    // BIA03: the level's id in the CRM, stable per SKU, warehouse, lot and status (30 characters).
    write: (d: OwedDocument) =>
      write846(
        d.record as PartnerStockRecord,
        (d.record as PartnerStockRecord).id.replace(/-/g, '').slice(0, 30),
      ),
  },
} satisfies Record<'214' | '856' | '810' | '846', X12DocumentWriter>;
