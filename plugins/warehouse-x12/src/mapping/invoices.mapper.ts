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

/** 810 Invoice: BIG, N1 parties, ITD terms, IT1 lines, TDS total. */
export const TS810: X12SetSpec = {
  type: '810',
  name: 'Invoice',
  body: {
    id: 'header',
    segments: [
      'BIG',
      'NTE',
      'CUR',
      'REF',
      'PER',
      'ITD',
      'DTM',
      'FOB',
      'PID',
      'TDS',
      'TXI',
      'CAD',
      'SAC',
      'ISS',
      'CTT',
    ],
    loops: [
      N1_LOOP,
      { id: 'IT1', start: 'IT1', segments: ['CUR', 'IT3', 'TXI', 'CTP', 'PID', 'REF', 'SAC', 'DTM'] },
    ],
  },
};

const DAY_MS = 86_400_000;

/**
 * 810 → `invoice.upserted`: number BIG02, issued BIG01, the order BIG04, total TDS01 (implied two
 * decimals), due ITD06 (else ITD07 net days, else the partner's terms), currency CUR02 (USD when
 * none), customer the partner's (else N1 BT / BY with an id).
 */
export const ts810: X12Mapper = {
  spec: TS810,
  produces: 'invoice.upserted',
  map(body: X12Loop, ctx: X12MapContext): CanonicalRecord[] {
    const big = body.first('BIG');
    const externalId = required(big, 2, 'invoice number', 'BIG');
    const issuedAt = timestampOf(big, 1, undefined, ctx) ?? ctx.sentAt;
    const tds = body.first('TDS');
    const total = numberOf(tds, 1, 'N2');
    if (total === undefined)
      throw new X12MappingError('TDS01 (total invoice amount) is missing: there is no TDS segment');
    if (total < 0)
      throw new X12MappingError(
        `the invoice total is negative (${total}): a credit, not an invoice`,
        tds,
        1,
        '6',
      );
    const itd = body.first('ITD');
    const dueAt =
      timestampOf(itd, 6, undefined, ctx) ??
      new Date(
        Date.parse(issuedAt) + (numberOf(itd, 7, 'N0') ?? ctx.partner.paymentTermsDays) * DAY_MS,
      ).toISOString();
    const order = value(big, 4);
    const payload: InvoiceUpsertedV1 = {
      externalId,
      ...customerOf(body, ctx, ['BT', 'BY']),
      ...(order ? { orderExternalId: order } : {}),
      issuedAt,
      dueAt: dueAt < issuedAt ? issuedAt : dueAt,
      currency: value(body.first('CUR'), 2) ?? 'USD',
      totalAmount: total,
      status: 'OPEN',
    };
    return [{ type: 'invoice.upserted', key: externalId, occurredAt: issuedAt, payload }];
  },
};
