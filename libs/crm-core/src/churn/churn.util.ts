/**
 * Churn early warning on order volume: a customer is flagged when its orders in the month fall more
 * than `dropShare` (50 %) below its own baseline (the mean of the six months before), unless the
 * same month last year fell about as much against that year's baseline (a seasonal customer).
 */
export interface ChurnOptions {
  dropShare: number;
  baselineMonths: number;
  /** How much smaller than last year's drop this year's may be and still count as the season. */
  seasonalTolerance: number;
}

export const DEFAULT_CHURN_OPTIONS: ChurnOptions = {
  dropShare: 0.5,
  baselineMonths: 6,
  seasonalTolerance: 0.15,
};

export interface ChurnSignal {
  flagged: boolean;
  reason: string;
  current: number;
  baseline: number;
  /** current / baseline. */
  ratio: number;
  lastYearRatio: number | null;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * `monthly`: order counts per month, oldest first, the last being the month evaluated; 13 + 6
 * months give last year's comparison, fewer months just skip it.
 */
export function churnSignal(monthly: number[], o: ChurnOptions = DEFAULT_CHURN_OPTIONS): ChurnSignal {
  const n = monthly.length;
  const current = monthly[n - 1] ?? 0;
  const base = monthly.slice(Math.max(0, n - 1 - o.baselineMonths), n - 1);
  const baseline = base.length ? mean(base) : 0;
  const ratio = baseline > 0 ? current / baseline : 1;
  let lastYearRatio: number | null = null;
  if (n - 13 - o.baselineMonths >= 0) {
    const ly = monthly[n - 13];
    const lyBase = mean(monthly.slice(n - 13 - o.baselineMonths, n - 13));
    lastYearRatio = lyBase > 0 ? ly / lyBase : null;
  }
  const numbers = `${current} orders this month against a ${o.baselineMonths}-month baseline of ${baseline.toFixed(1)} (${Math.round(ratio * 100)} %)`;
  if (baseline === 0 || ratio >= 1 - o.dropShare)
    return { flagged: false, reason: `no drop: ${numbers}`, current, baseline, ratio, lastYearRatio };
  if (lastYearRatio !== null && lastYearRatio <= ratio + o.seasonalTolerance)
    return {
      flagged: false,
      reason: `seasonal: ${numbers}; the same month last year was at ${Math.round(lastYearRatio * 100)} % of its baseline`,
      current,
      baseline,
      ratio,
      lastYearRatio,
    };
  return {
    flagged: true,
    reason: `order volume fell: ${numbers}${lastYearRatio !== null ? `; last year the same month was at ${Math.round(lastYearRatio * 100)} %` : ''}`,
    current,
    baseline,
    ratio,
    lastYearRatio,
  };
}
