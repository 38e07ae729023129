import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  customerOf,
  numberOf,
  required,
  timestampOf,
  value,
  X12Loop,
  X12MapContext,
  X12Mapper,
  X12MappingError,
  X12SetSpec,
} from '@tradelane/connector-sdk/edi';
import type { InvoiceUpsertedV1 } from '@tradelane/contracts';

const N1_LOOP = { id: 'N1', start: 'N1', segments: ['N2', 'N3', 'N4', 'REF', 'PER'] } as const;

function invoiceSpec(type: '210' | '310', name: string): X12SetSpec {
  return {
    type,
    name,
    body: {
      id: 'header',
      segments: [
        'B3',
        'B2A',
        'C2',
        'C3',
        'ITD',
        'N9',
        'G62',
        'R3',
        'H3',
        'K1',
        'V1',
        'Y2',
        'R4',
        'DTM',
        'C8',
      ],
      loops: [
        N1_LOOP,
        {
          id: 'LX',
          start: 'LX',
          segments: ['N7', 'M7', 'L5', 'H1', 'H2', 'L0', 'L1', 'L4', 'L7', 'C3', 'K1'],
        },
      ],
    },
  };
}

/** 210 Motor Carrier Freight Details and Invoice, 310 Freight Receipt and Invoice (Ocean): loops as data. */
export const TS210 = invoiceSpec('210', 'Motor Carrier Freight Details and Invoice');
export const TS310 = invoiceSpec('310', 'Freight Receipt and Invoice (Ocean)');

const DAY_MS = 86_400_000;

/**
 * 210 / 310 → `invoice.upserted`: invoice number B302, the shipment it bills (B303) as the order,
 * issued B306 (else the group date), due by ITD net days or the partner's terms, total B307 (N2;
 * when zero or absent the sum of the L104 charges, discounts negative), currency C301 (USD when the
 * carrier states none, as X12 freight invoices assume). A negative total (a credit) is refused.
 */
function mapInvoice(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
  const b3 = body.first('B3');
  const externalId = required(b3, 2, 'invoice number', 'B3');
  const issuedAt = timestampOf(b3, 6, undefined, ctx) ?? ctx.sentAt;
  const lines = body.loops('LX');
  const charges = lines.flatMap((lx) => lx.all('L1')).map((l1) => numberOf(l1, 4, 'N2') ?? 0);
  const stated = numberOf(b3, 7, 'N2');
  const total = stated ? stated : Math.round(charges.reduce((a, b) => a + b, 0) * 100) / 100;
  if (total < 0)
    throw new X12MappingError(
      `the invoice total is negative (${total}): a credit, not an invoice`,
      b3,
      7,
      '6',
    );
  const currency =
    value(body.first('C3'), 1) ?? lines.map((lx) => value(lx.first('C3'), 1)).find(Boolean) ?? 'USD';
  if (!/^[A-Z]{3}$/.test(currency))
    throw new X12MappingError(`currency "${currency}" is not an ISO 4217 code`, body.first('C3'), 1, '7');
  const itd = body.first('ITD');
  const dueAt =
    timestampOf(itd, 6, undefined, ctx) ??
    new Date(
      Date.parse(issuedAt) + (numberOf(itd, 7, 'N0') ?? ctx.partner.paymentTermsDays) * DAY_MS,
    ).toISOString();
  const shipment = value(b3, 3);
  const payload: InvoiceUpsertedV1 = {
    externalId,
    ...customerOf(body, ctx, ['BT', 'SH']),
    ...(shipment ? { orderExternalId: shipment } : {}),
    issuedAt,
    dueAt: dueAt < issuedAt ? issuedAt : dueAt,
    currency,
    totalAmount: total,
    status: 'OPEN',
  };
  return [{ type: 'invoice.upserted', key: externalId, occurredAt: issuedAt, payload }];
}

export const ts210: X12Mapper = { spec: TS210, produces: 'invoice.upserted', map: mapInvoice };
export const ts310: X12Mapper = { spec: TS310, produces: 'invoice.upserted', map: mapInvoice };
