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

/** Service-side churn signals, each with the numbers behind it (issue: KPIs, satisfaction, complaints, failed shipments). */
export interface ServiceSignalInput {
  /** Complaint cases opened this month, and per month over the baseline months (oldest first). */
  complaints: number;
  complaintBaseline: number[];
  /** On-time delivery this month and the mean of the months before (shares 0..1), when known. */
  onTime: number | null;
  onTimeBaseline: number | null;
  /** Mean satisfaction score (0–100) this month and over the months before, when answered. */
  satisfaction: number | null;
  satisfactionBaseline: number | null;
  /** Failed shipments this customer was a party of, this month. */
  failedShipments: { case: string; type: string; role: string; shipment: string }[];
}

export interface ServiceSignalOptions {
  /** Complaints rise: at least this many, and at least `complaintFactor` × the monthly baseline. */
  minComplaints: number;
  complaintFactor: number;
  /** Drop in on-time delivery, percentage points. */
  onTimeDropPoints: number;
  /** Drop in the satisfaction score, points on 0–100. */
  satisfactionDropPoints: number;
}

export const DEFAULT_SERVICE_SIGNALS: ServiceSignalOptions = {
  minComplaints: 2,
  complaintFactor: 2,
  onTimeDropPoints: 10,
  satisfactionDropPoints: 15,
};

export interface Signal {
  signal: 'order-volume' | 'complaints' | 'on-time-delivery' | 'satisfaction' | 'failed-shipment';
  reason: string;
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

export function serviceSignals(
  i: ServiceSignalInput,
  o: ServiceSignalOptions = DEFAULT_SERVICE_SIGNALS,
): Signal[] {
  const out: Signal[] = [];
  const base = i.complaintBaseline.length ? mean(i.complaintBaseline) : 0;
  if (i.complaints >= o.minComplaints && i.complaints >= o.complaintFactor * base)
    out.push({
      signal: 'complaints',
      reason: `complaints rose: ${i.complaints} this month against a ${i.complaintBaseline.length}-month mean of ${base.toFixed(1)}`,
    });
  if (
    i.onTime !== null &&
    i.onTimeBaseline !== null &&
    (i.onTimeBaseline - i.onTime) * 100 >= o.onTimeDropPoints
  )
    out.push({
      signal: 'on-time-delivery',
      reason: `on-time delivery fell to ${pct(i.onTime)} from ${pct(i.onTimeBaseline)} (${((i.onTimeBaseline - i.onTime) * 100).toFixed(1)} points)`,
    });
  if (
    i.satisfaction !== null &&
    i.satisfactionBaseline !== null &&
    i.satisfactionBaseline - i.satisfaction >= o.satisfactionDropPoints
  )
    out.push({
      signal: 'satisfaction',
      reason: `satisfaction fell to ${i.satisfaction.toFixed(1)} from ${i.satisfactionBaseline.toFixed(1)} (0–100)`,
    });
  for (const f of i.failedShipments)
    out.push({
      signal: 'failed-shipment',
      reason: `shipment ${f.shipment} failed (${f.type}, case ${f.case}); this customer was its ${f.role}`,
    });
  return out;
}
