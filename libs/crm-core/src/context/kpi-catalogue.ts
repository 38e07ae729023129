/**
 * The service KPIs: what counts, when it counts, and which way is good. Each KPI is derived per
 * record as a fact (`crm_kpi_fact`) by the SQL in kpi-facts.sql.ts; a value is an aggregate of facts.
 */
export const KPI_NAMES = [
  'on_time_delivery',
  'delivery_accuracy',
  'damage_rate',
  'complaint_free',
  'order_cycle_time',
  'fill_rate',
  'inventory_accuracy',
  'on_time_report_handling',
  'invoice_accuracy',
] as const;
export type KpiName = (typeof KPI_NAMES)[number];

export interface KpiDefinition {
  name: KpiName;
  /** share: hits / n (0..1); hours: median of the facts' values (target applies to the p90). */
  unit: 'share' | 'hours';
  direction: 'at-least' | 'at-most';
  /** Default target (issue: 99 % on time, 99 % report handling, 98 % complaint-free...); null = none. */
  defaultTarget: number | null;
  description: string;
}

export const KPIS: Record<KpiName, KpiDefinition> = {
  on_time_delivery: {
    name: 'on_time_delivery',
    unit: 'share',
    direction: 'at-least',
    defaultTarget: 0.99,
    description:
      'Delivered deliveries with a promised window whose delivery time lies in it (promisedFrom <= deliveredAt <= promisedTo); counted when delivered.',
  },
  delivery_accuracy: {
    name: 'delivery_accuracy',
    unit: 'share',
    direction: 'at-least',
    defaultTarget: 0.98,
    description:
      'Delivered deliveries without a wrong-delivery case (wrong items or quantities; rejected cases do not count).',
  },
  damage_rate: {
    name: 'damage_rate',
    unit: 'share',
    direction: 'at-most',
    defaultTarget: 0.001,
    description:
      'Deliveries (delivered, in exception or returned) with a damage case or a DAMAGE exception, over those deliveries.',
  },
  complaint_free: {
    name: 'complaint_free',
    unit: 'share',
    direction: 'at-least',
    defaultTarget: 0.98,
    description:
      'Delivered deliveries without any complaint case (every case type but service requests; rejected cases do not count).',
  },
  order_cycle_time: {
    name: 'order_cycle_time',
    unit: 'hours',
    direction: 'at-most',
    defaultTarget: null,
    description:
      'Hours from order received (orderedAt) to its last delivery delivered; value = median, target applies to the 90th percentile.',
  },
  fill_rate: {
    name: 'fill_rate',
    unit: 'share',
    direction: 'at-least',
    defaultTarget: null,
    description:
      'Order lines shipped complete (quantityShipped >= quantity) over order lines with a shipped quantity reported.',
  },
  inventory_accuracy: {
    name: 'inventory_accuracy',
    unit: 'share',
    direction: 'at-least',
    defaultTarget: 0.99,
    description: 'Warehouse counts whose counted quantity equals the booked quantity.',
  },
  on_time_report_handling: {
    name: 'on_time_report_handling',
    unit: 'share',
    direction: 'at-least',
    defaultTarget: 0.99,
    description:
      'Service-request cases answered (first response) by their deadline; counted at the deadline, or when answered if earlier.',
  },
  invoice_accuracy: {
    name: 'invoice_accuracy',
    unit: 'share',
    direction: 'at-least',
    defaultTarget: null,
    description:
      'Invoices not disputed (neither flagged disputed by the ERP nor with an open or resolved invoice-dispute case).',
  },
};

export const KPI_PERIODS = ['day', 'week', 'month'] as const;
export type KpiPeriod = (typeof KPI_PERIODS)[number];

/** Whether a value meets its target (hours KPIs compare the p90). */
export function meetsTarget(def: KpiDefinition, value: number, p90: number | null, target: number | null) {
  if (target === null) return null;
  const measured = def.unit === 'hours' ? (p90 ?? value) : value;
  return def.direction === 'at-least' ? measured >= target : measured <= target;
}
