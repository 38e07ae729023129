import { CASE_PRIORITIES, CASE_TYPES, CasePriority, CaseType } from '@tradelane/contracts';

export const CASE_STATUSES = ['new', 'open', 'waiting_customer', 'resolved', 'closed', 'rejected'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Allowed moves of the status workflow. Resolving or rejecting stops the resolution clock. */
export const TRANSITIONS: Record<CaseStatus, CaseStatus[]> = {
  new: ['open', 'waiting_customer', 'resolved', 'rejected'],
  open: ['waiting_customer', 'resolved', 'rejected'],
  waiting_customer: ['open', 'resolved', 'rejected'],
  resolved: ['closed', 'open'],
  rejected: ['open'],
  closed: [],
};

export const CLOCK_STOPPED: CaseStatus[] = ['resolved', 'closed', 'rejected'];

/** Case types that are complaints (everything but a service request). */
export const COMPLAINT_TYPES: CaseType[] = CASE_TYPES.filter((t) => t !== 'service_request');

export interface PriorityRule {
  when: { type?: CaseType[]; abc?: string[]; vip?: boolean; origin?: string[] };
  priority: CasePriority;
}

/** First matching rule wins; `normal` when none matches. Configurable with CRM_CASE_PRIORITY_RULES (JSON). */
export const DEFAULT_PRIORITY_RULES: PriorityRule[] = [
  { when: { type: ['loss'] }, priority: 'urgent' },
  { when: { vip: true }, priority: 'urgent' },
  { when: { type: ['damage', 'wrong_delivery'], abc: ['A'] }, priority: 'urgent' },
  { when: { type: ['damage', 'wrong_delivery', 'delay'] }, priority: 'high' },
  { when: { abc: ['A'] }, priority: 'high' },
  { when: { type: ['service_request'] }, priority: 'normal' },
];

export interface PriorityInput {
  type: CaseType;
  abc: string | null;
  vip: boolean;
  origin: string;
}

export function priorityOf(
  input: PriorityInput,
  rules: PriorityRule[] = DEFAULT_PRIORITY_RULES,
): { priority: CasePriority; reason: string } {
  for (const [i, r] of rules.entries()) {
    const w = r.when;
    if (w.type && !w.type.includes(input.type)) continue;
    if (w.abc && !(input.abc && w.abc.includes(input.abc))) continue;
    if (w.vip !== undefined && w.vip !== input.vip) continue;
    if (w.origin && !w.origin.includes(input.origin)) continue;
    return { priority: r.priority, reason: `rule ${i + 1}: ${JSON.stringify(w)} → ${r.priority}` };
  }
  return { priority: 'normal', reason: 'no rule matched → normal' };
}

export function parsePriorityRules(raw: string | undefined): PriorityRule[] {
  if (!raw?.trim()) return DEFAULT_PRIORITY_RULES;
  let rules: unknown;
  try {
    rules = JSON.parse(raw);
  } catch (e) {
    throw new Error(`CRM_CASE_PRIORITY_RULES is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(rules))
    throw new Error('CRM_CASE_PRIORITY_RULES must be a JSON array of {when, priority}');
  rules.forEach((r: PriorityRule, i) => {
    if (!r || typeof r.when !== 'object' || !CASE_PRIORITIES.includes(r.priority))
      throw new Error(
        `CRM_CASE_PRIORITY_RULES[${i}]: needs when: {...} and priority: ${CASE_PRIORITIES.join('|')}`,
      );
    for (const t of r.when.type ?? [])
      if (!CASE_TYPES.includes(t))
        throw new Error(`CRM_CASE_PRIORITY_RULES[${i}].when.type: unknown type ${t}`);
  });
  return rules as PriorityRule[];
}

/** Standard resolutions suggested by case type (the tenant's own articles come first). */
export const STANDARD_RESOLUTIONS: Record<CaseType, { title: string; body: string }[]> = {
  delay: [
    {
      title: 'Late delivery: confirm new ETA and credit per agreement',
      body: 'Confirm the new delivery time with the carrier, tell the consignee, and credit the freight share the agreement sets for late deliveries.',
    },
  ],
  damage: [
    {
      title: 'Damaged goods: photo evidence, carrier claim, replacement',
      body: 'Ask for photos and the signed POD with remarks, file the claim with the carrier within its notice period, and ship a replacement or credit the goods value.',
    },
  ],
  loss: [
    {
      title: 'Lost shipment: trace, declare lost, reship',
      body: 'Open a trace with the carrier; after its trace period declare the shipment lost, reship from stock and claim the declared value.',
    },
  ],
  wrong_delivery: [
    {
      title: 'Wrong items or quantities: pick-up and correct delivery',
      body: 'Check the pick list against the order, arrange the return pick-up of wrong items, and ship the missing or correct items with priority.',
    },
  ],
  invoice_dispute: [
    {
      title: 'Invoice dispute: check against rate card, credit note',
      body: 'Compare the billed lines with the contract rate card and proof of service; issue a credit note for the difference or explain each line.',
    },
  ],
  service_request: [
    {
      title: 'Report or information request: answer by the deadline',
      body: 'Produce the requested report from the KPI scorecard or the shipment history and send it before the deadline agreed.',
    },
  ],
  return: [
    {
      title: 'Return: authorise, collect, inspect, restock or dispose',
      body: 'Issue a return authorisation, book the collection, inspect on arrival and restock or dispose as the customer decides.',
    },
  ],
};

export const formatCaseNumber = (n: number) => `C-${String(n).padStart(6, '0')}`;
