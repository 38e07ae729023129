/**
 * Customer classification rules (pure; the inputs and the rule are stored with each result).
 *
 * ABC by Pareto share of revenue: customers sorted by revenue, descending; a customer is A while the
 * cumulative share *before* it is under the A cut-off (80 %), B under A + B (95 %), C after. So the
 * A customers together hold at least the A share, and every customer is classed exactly once.
 */
export type AbcClass = 'A' | 'B' | 'C';

export interface AbcCutoffs {
  /** Shares of revenue, e.g. 0.8 / 0.15 / 0.05. */
  a: number;
  b: number;
}

export const DEFAULT_CUTOFFS: AbcCutoffs = { a: 0.8, b: 0.15 };

export interface AbcResult {
  customerId: string;
  revenue: number;
  share: number;
  /** Cumulative share up to and including this customer. */
  cumulative: number;
  abc: AbcClass;
}

export function classifyAbc(
  revenues: { customerId: string; revenue: number }[],
  cutoffs = DEFAULT_CUTOFFS,
): AbcResult[] {
  const sorted = [...revenues].sort(
    (x, y) => y.revenue - x.revenue || x.customerId.localeCompare(y.customerId),
  );
  const total = sorted.reduce((t, r) => t + Math.max(0, r.revenue), 0);
  let before = 0;
  return sorted.map((r) => {
    const share = total > 0 ? Math.max(0, r.revenue) / total : 0;
    const abc: AbcClass = before < cutoffs.a ? 'A' : before < cutoffs.a + cutoffs.b ? 'B' : 'C';
    before += share;
    return { customerId: r.customerId, revenue: r.revenue, share, cumulative: before, abc };
  });
}

export type LifecycleStage = 'trial' | 'formation' | 'stable' | 'decline';

export interface LifecycleInputs {
  /** Orders in the last `windowDays`, and in the window before. */
  recent: number;
  previous: number;
  /** Days since the first order. */
  ageDays: number;
  windowDays: number;
}

/**
 * Lifecycle stage from the order trend: trial while the relationship is younger than two windows or
 * has fewer than 3 orders; then formation when the recent window grows by more than 20 % on the one
 * before, decline when it falls by more than 20 %, stable in between.
 */
export function lifecycleStage(i: LifecycleInputs): { stage: LifecycleStage; reason: string } {
  if (i.ageDays < 2 * i.windowDays || i.recent + i.previous < 3)
    return {
      stage: 'trial',
      reason: `first order ${i.ageDays} days ago, ${i.recent + i.previous} orders in the last ${2 * i.windowDays} days`,
    };
  const change = i.previous === 0 ? Infinity : (i.recent - i.previous) / i.previous;
  const pct = Number.isFinite(change) ? `${Math.round(change * 100)} %` : 'from none';
  if (change > 0.2)
    return {
      stage: 'formation',
      reason: `orders ${i.previous} -> ${i.recent} per ${i.windowDays} days (${pct})`,
    };
  if (change < -0.2)
    return {
      stage: 'decline',
      reason: `orders ${i.previous} -> ${i.recent} per ${i.windowDays} days (${pct})`,
    };
  return { stage: 'stable', reason: `orders ${i.previous} -> ${i.recent} per ${i.windowDays} days (${pct})` };
}
