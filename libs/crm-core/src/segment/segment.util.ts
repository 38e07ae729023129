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

/**
 * Customer value (profitability × growth, margin, lifetime value). Parameters are documented in
 * the README ("Customer value"):
 *
 *   growth  = (revenue in the recent window − revenue in the window before) / revenue before
 *   margin  = revenue − cost over the last 12 months, where cost data exists (crm_customer_cost)
 *   CLV     = Σ t=1..H  m · r^(t−1) / (1 + d)^t
 *
 * m: yearly contribution (the 12-month margin, or revenue × assumedMarginRate without cost data),
 * r: yearly retention (lower for customers in decline), d: discount rate, H: horizon in years.
 */
export interface ValueOptions {
  /** Margin share of revenue at or above which a customer is profitable. */
  profitableMargin: number;
  /** Revenue growth at or above which a customer is a growth customer. */
  growthRate: number;
  /** Contribution rate assumed for CLV when no cost data exists. */
  assumedMarginRate: number;
  retention: number;
  declineRetention: number;
  discountRate: number;
  horizonYears: number;
  /** Share of customers (by revenue rank, class A only) flagged VIP. */
  vipTopShare: number;
}

export const DEFAULT_VALUE_OPTIONS: ValueOptions = {
  profitableMargin: 0.15,
  growthRate: 0.1,
  assumedMarginRate: 0.12,
  retention: 0.85,
  declineRetention: 0.6,
  discountRate: 0.08,
  horizonYears: 5,
  vipTopShare: 0.05,
};

export type ValueClass = 'profitable' | 'growth' | 'low-profit-low-growth';

/** The service policy for each class of the profitability × growth matrix. */
export const SERVICE_POLICY: Record<ValueClass, string> = {
  profitable:
    'Protect: named account manager, priority capacity and claims handling, quarterly business reviews.',
  growth:
    'Develop: invest in service to win volume (pilots, integration help); review cost-to-serve each quarter.',
  'low-profit-low-growth':
    'Maintain at the lowest cost-to-serve: standard service levels, self-service portal, re-price or consolidate.',
};

export interface ValueInputs {
  revenueRecent: number;
  revenuePrevious: number;
  revenue12m: number;
  /** Cost over the last 12 months; null without cost data. */
  cost12m: number | null;
  lifecycle: LifecycleStage;
}

export interface CustomerValue {
  valueClass: ValueClass | null;
  policy: string | null;
  growth: number | null;
  margin: number | null;
  marginShare: number | null;
  clv: number;
  reason: string;
}

const money = (v: number) => v.toFixed(2);

export function customerValue(i: ValueInputs, o: ValueOptions = DEFAULT_VALUE_OPTIONS): CustomerValue {
  const growth = i.revenuePrevious > 0 ? (i.revenueRecent - i.revenuePrevious) / i.revenuePrevious : null;
  const margin = i.cost12m === null ? null : i.revenue12m - i.cost12m;
  const marginShare = margin !== null && i.revenue12m > 0 ? margin / i.revenue12m : null;
  const contribution = margin ?? i.revenue12m * o.assumedMarginRate;
  const r = i.lifecycle === 'decline' ? o.declineRetention : o.retention;
  let clv = 0;
  for (let t = 1; t <= o.horizonYears; t++) clv += (contribution * r ** (t - 1)) / (1 + o.discountRate) ** t;
  clv = Math.round(clv * 100) / 100;
  const clvReason = `CLV ${money(clv)} = Σ t=1..${o.horizonYears} m·r^(t−1)/(1+d)^t with m ${money(contribution)} (${margin === null ? `revenue × assumed margin ${o.assumedMarginRate}` : '12-month margin'}), r ${r}${i.lifecycle === 'decline' ? ' (in decline)' : ''}, d ${o.discountRate}`;
  const growthText =
    growth === null ? 'growth unknown (no revenue before)' : `growth ${(growth * 100).toFixed(1)} %`;
  let valueClass: ValueClass | null;
  let why: string;
  if (marginShare !== null && marginShare >= o.profitableMargin) {
    valueClass = 'profitable';
    why = `margin ${(marginShare * 100).toFixed(1)} % >= ${o.profitableMargin * 100} %`;
  } else if (growth !== null && growth >= o.growthRate) {
    valueClass = 'growth';
    why = `${growthText} >= ${o.growthRate * 100} %${marginShare === null ? '' : `, margin ${(marginShare * 100).toFixed(1)} %`}`;
  } else if (marginShare === null) {
    valueClass = null;
    why = `no cost data for a margin, ${growthText}: not classified on profitability`;
  } else {
    valueClass = 'low-profit-low-growth';
    why = `margin ${(marginShare * 100).toFixed(1)} % < ${o.profitableMargin * 100} %, ${growthText}`;
  }
  return {
    valueClass,
    policy: valueClass && SERVICE_POLICY[valueClass],
    growth,
    margin,
    marginShare,
    clv,
    reason: `${valueClass ?? 'unclassified'}: ${why}; ${clvReason}`,
  };
}
