/**
 * Customer service cost: the sales lost through poor service, next to the logistics cost, per month
 * and cause, so a manager can weigh a better service level against what it costs.
 *
 *   lost from customers = Σ over customers with a service failure in month M of
 *                         max(0, revenue in the `windowMonths` before M − revenue in the `windowMonths` after M),
 *                         split evenly over the causes of that customer's failures in M;
 *                         churned when there was revenue before and none after
 *   lost prospects      = customers with a failure × wordOfMouth × prospectConversion × newCustomerRevenue
 *
 * The assumptions are returned with every figure.
 */
export interface ServiceCostAssumptions {
  windowMonths: number;
  /** People a dissatisfied customer tells. */
  wordOfMouth: number;
  /** Share of those who would otherwise have become customers. */
  prospectConversion: number;
  /** Revenue of a new customer over `windowMonths` (default: the tenant's mean per active customer). */
  newCustomerRevenue: number | null;
}

export const DEFAULT_SERVICE_COST: ServiceCostAssumptions = {
  windowMonths: 3,
  wordOfMouth: 2,
  prospectConversion: 0.05,
  newCustomerRevenue: null,
};

export interface FailedCustomer {
  customerId: string;
  name: string;
  causes: string[];
  before: number;
  after: number;
}

export function lostSales(
  customers: FailedCustomer[],
  newCustomerRevenue: number,
  a: ServiceCostAssumptions,
) {
  const byCause: Record<string, number> = {};
  const lost = customers.map((c) => {
    const amount = Math.max(0, c.before - c.after);
    const causes = [...new Set(c.causes)].sort();
    for (const cause of causes) byCause[cause] = (byCause[cause] ?? 0) + amount / causes.length;
    return { ...c, causes, lost: amount, churned: c.before > 0 && c.after === 0 };
  });
  const fromCustomers = lost.reduce((s, c) => s + c.lost, 0);
  const prospects = customers.length * a.wordOfMouth * a.prospectConversion * newCustomerRevenue;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    fromCustomers: round(fromCustomers),
    byCause: Object.fromEntries(Object.entries(byCause).map(([k, v]) => [k, round(v)])),
    lostProspects: round(prospects),
    total: round(fromCustomers + prospects),
    churned: lost.filter((c) => c.churned).length,
    customers: lost.filter((c) => c.lost > 0).sort((x, y) => y.lost - x.lost),
  };
}
