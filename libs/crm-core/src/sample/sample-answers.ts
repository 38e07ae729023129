import { ResponseInputDto } from '../satisfaction/satisfaction.dto';

export const SAMPLE_SOURCE = 'erp-sample:northwind';

/** Sample customers with survey answers: scores per department, and whether the latest answers fell. */
export const SURVEYED: { customer: string; logistics: number; billing: number; falling: boolean }[] = [
  { customer: 'ALFKI', logistics: 4, billing: 5, falling: true },
  { customer: 'FOLKO', logistics: 3, billing: 4, falling: true },
  { customer: 'ERNSH', logistics: 5, billing: 4, falling: false },
  { customer: 'QUICK', logistics: 4, billing: 4, falling: false },
  { customer: 'SAVEA', logistics: 5, billing: 5, falling: false },
  { customer: 'BONAP', logistics: 3, billing: 3, falling: false },
];

/**
 * Answers of a quarterly survey (CSAT 1-5 per department, one NPS) over the last nine months: the
 * scores as listed, a point lower in the newest quarter where `falling`. Inputs only: the index,
 * its trend and any churn signal are computed by the product.
 */
export function sampleAnswers(s: (typeof SURVEYED)[number], loadedAt: Date): ResponseInputDto[] {
  const out: ResponseInputDto[] = [];
  for (const [i, monthsAgo] of [9, 6, 3, 0.5].entries()) {
    const answeredAt = new Date(loadedAt.getTime() - monthsAgo * 30 * 86_400_000).toISOString();
    const drop = s.falling && i === 3 ? 1 : 0;
    for (const [department, score] of [
      ['logistics', s.logistics],
      ['billing', s.billing],
    ] as const)
      out.push({
        source: 'sample-survey',
        externalId: `${s.customer}-${i}-${department}`,
        party: 'customer',
        department,
        kind: 'csat',
        value: Math.max(1, score - drop),
        answeredAt,
      });
    out.push({
      source: 'sample-survey',
      externalId: `${s.customer}-${i}-nps`,
      party: 'customer',
      department: 'account',
      kind: 'nps',
      value: Math.max(0, s.logistics * 2 - 1 - drop * 3),
      answeredAt,
    });
  }
  return out;
}
