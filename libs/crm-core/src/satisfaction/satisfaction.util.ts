/**
 * Satisfaction index of a 3PL relationship (issue "logistics CRM functions"):
 *
 *   S = Σp Wp · Σd wp,d · sp,d
 *
 * p: a party the 3PL serves in the relationship (supplier, manufacturer, retailer...); d: a department
 * of that party; sp,d: the mean of that department's answers, each normalised to 0–100; Wp and wp,d:
 * configured weights, renormalised over the parties and departments that have answers (so a party
 * without answers does not pull the index to 0), equal when not configured. S is on 0–100.
 */
export interface Answer {
  id: string;
  party: string;
  department: string;
  /** Normalised 0–100. */
  score: number;
}

export interface SatisfactionWeights {
  /** Party → weight (any positive numbers; normalised). */
  parties?: Record<string, number>;
  /** Party → department → weight. */
  departments?: Record<string, Record<string, number>>;
}

export interface DepartmentScore {
  department: string;
  weight: number;
  score: number;
  answers: string[];
}

export interface PartyScore {
  party: string;
  weight: number;
  score: number;
  departments: DepartmentScore[];
}

export interface SatisfactionIndex {
  index: number | null;
  formula: string;
  parties: PartyScore[];
}

export const FORMULA =
  'S = Σp Wp · Σd wp,d · sp,d  (s = mean answer 0–100; weights renormalised over what has answers)';

/** Normalises an answer to 0–100 from its scale (CSAT 1–5, NPS 0–10, stars 1–5...). */
export function normalise(value: number, min: number, max: number): number {
  if (!(max > min)) throw new Error(`scale ${min}–${max} is empty`);
  if (value < min || value > max) throw new Error(`answer ${value} is outside its scale ${min}–${max}`);
  return ((value - min) / (max - min)) * 100;
}

const round = (v: number) => Math.round(v * 100) / 100;

function normalised(names: string[], weights: Record<string, number> | undefined): Map<string, number> {
  const raw = names.map(
    (n) => [n, weights?.[n] ?? (weights && Object.keys(weights).length ? 0 : 1)] as const,
  );
  const total = raw.reduce((t, [, w]) => t + w, 0);
  return new Map(raw.map(([n, w]) => [n, total > 0 ? w / total : 1 / names.length]));
}

export function satisfactionIndex(answers: Answer[], weights: SatisfactionWeights = {}): SatisfactionIndex {
  const byParty = new Map<string, Map<string, Answer[]>>();
  for (const a of answers) {
    const deps = byParty.get(a.party) ?? new Map<string, Answer[]>();
    deps.set(a.department, [...(deps.get(a.department) ?? []), a]);
    byParty.set(a.party, deps);
  }
  const partyWeights = normalised([...byParty.keys()].sort(), weights.parties);
  const parties: PartyScore[] = [];
  let index = 0;
  for (const party of [...byParty.keys()].sort()) {
    const deps = byParty.get(party) as Map<string, Answer[]>;
    const depWeights = normalised([...deps.keys()].sort(), weights.departments?.[party]);
    const departments: DepartmentScore[] = [...deps.keys()].sort().map((department) => {
      const list = deps.get(department) as Answer[];
      return {
        department,
        weight: depWeights.get(department) as number,
        score: list.reduce((t, a) => t + a.score, 0) / list.length,
        answers: list.map((a) => a.id),
      };
    });
    const score = departments.reduce((t, d) => t + d.weight * d.score, 0);
    const weight = partyWeights.get(party) as number;
    index += weight * score;
    parties.push({
      party,
      weight: round(weight),
      score: round(score),
      departments: departments.map((d) => ({ ...d, weight: round(d.weight), score: round(d.score) })),
    });
  }
  return { index: parties.length ? round(index) : null, formula: FORMULA, parties };
}
