import type { CanonicalRecord } from '@tradelane/connector-sdk';
import {
  EdifactLoop,
  EdifactMapContext,
  EdifactMapper,
  EdifactMappingError,
  EdifactMessageSpec,
  edifactCustomer,
  edifactDateOf,
  edifactNumber,
  edifactRequired,
  edifactValue,
} from '@tradelane/connector-sdk/edi';
import type { InvoiceUpsertedV1 } from '@tradelane/contracts';

/** INVOIC: header (BGM, DTM, RFF, NAD, CUX, PAT), LIN lines, UNS, then the totals (MOA, TAX). */
export const INVOIC: EdifactMessageSpec = {
  type: 'INVOIC',
  name: 'Invoice',
  body: {
    id: 'header',
    segments: [
      'BGM',
      'DTM',
      'PAI',
      'ALI',
      'IMD',
      'FTX',
      'LOC',
      'GEI',
      'DGS',
      'GIR',
      'RFF',
      'NAD',
      'FII',
      'CTA',
      'COM',
      'TAX',
      'CUX',
      'PAT',
      'PCD',
      'TDT',
      'TOD',
      'PAC',
      'ALC',
      'UNS',
      'CNT',
      'MOA',
    ],
    groups: [
      {
        id: 'LIN',
        start: 'LIN',
        segments: [
          'PIA',
          'IMD',
          'MEA',
          'QTY',
          'PCD',
          'ALI',
          'DTM',
          'GIN',
          'GIR',
          'QVR',
          'EDT',
          'MOA',
          'PAT',
          'PRI',
          'RFF',
          'PAC',
          'LOC',
          'TAX',
          'NAD',
          'ALC',
          'TDT',
          'TOD',
          'RTE',
        ],
      },
    ],
  },
};

/** MOA 5025 qualifiers of the amount due, in the order taken: invoice amount, amount due, total. */
const TOTALS = ['77', '9', '39', '86', '388'];
const DAY_MS = 86_400_000;

/**
 * INVOIC → `invoice.upserted`: number BGM 1004 (BGM 381 credit notes are refused: not an invoice),
 * issued DTM 137 (else 3), due DTM 13 (else PAT's DTM 140, else the partner's terms), total the
 * header MOA 77 / 9 / 39 / 86 after UNS (the line MOAs are not summed), currency CUX (2: invoicing
 * currency), the order RFF ON (header or line), customer the partner's (else NAD IV / BY / BT).
 */
export const invoic: EdifactMapper = {
  spec: INVOIC,
  produces: 'invoice.upserted',
  map(body: EdifactLoop, ctx: EdifactMapContext): CanonicalRecord[] {
    const bgm = body.first('BGM');
    const externalId = edifactRequired(bgm, 2, 0, 'invoice number (BGM 1004)', 'BGM');
    if (edifactValue(bgm, 1, 0) === '381')
      throw new EdifactMappingError('a credit note (BGM 381) is not an invoice: not taken', bgm, 1, 1);
    const issuedAt = edifactDateOf(body, ['137', '3'], ctx) ?? ctx.sentAt;
    const due =
      edifactDateOf(body, ['13', '140'], ctx) ??
      new Date(Date.parse(issuedAt) + ctx.partner.paymentTermsDays * DAY_MS).toISOString();
    const moa = TOTALS.map((q) => body.first('MOA', q)).find(Boolean);
    const total = edifactNumber(edifactValue(moa, 1, 1));
    if (total === undefined)
      throw new EdifactMappingError(
        'the invoice has no total (MOA 77, 9, 39 or 86 after UNS)',
        undefined,
        undefined,
        undefined,
        '13',
      );
    if (total < 0) throw new EdifactMappingError(`the invoice total is negative (${total})`, moa, 1, 2);
    const cux = body.first('CUX');
    const currency = edifactValue(cux, 1, 1) ?? edifactValue(moa, 1, 2) ?? 'EUR';
    if (!/^[A-Z]{3}$/.test(currency))
      throw new EdifactMappingError(`currency "${currency}" is not an ISO 4217 code`, cux ?? moa, 1, 2);
    const order =
      body.value('RFF', 1, 1, 'ON') ??
      body
        .groups('LIN')
        .map((l) => l.value('RFF', 1, 1, 'ON'))
        .find(Boolean);
    const payload: InvoiceUpsertedV1 = {
      externalId,
      ...edifactCustomer(body, ctx, ['IV', 'BY', 'BT']),
      ...(order ? { orderExternalId: order } : {}),
      issuedAt,
      dueAt: due < issuedAt ? issuedAt : due,
      currency,
      totalAmount: Math.round(total * 10_000) / 10_000,
      status: 'OPEN',
    };
    return [{ type: 'invoice.upserted', key: externalId, occurredAt: issuedAt, payload }];
  },
};
