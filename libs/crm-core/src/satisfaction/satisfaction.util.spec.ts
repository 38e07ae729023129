import { Answer, normalise, satisfactionIndex, SatisfactionWeights } from './satisfaction.util';

let n = 0;
const a = (party: string, department: string, score: number): Answer => ({
  id: `r${++n}`,
  party,
  department,
  score,
});

/** A relationship with three served parties and their departments. */
const answers = [
  a('supplier', 'logistics', 80),
  a('supplier', 'logistics', 60), // logistics mean 70
  a('supplier', 'purchasing', 90),
  a('manufacturer', 'planning', 50),
  a('manufacturer', 'quality', 100),
  a('manufacturer', 'quality', 80), // quality mean 90
  a('retailer', 'store-ops', 40),
];

describe('satisfactionIndex', () => {
  it.each<{ case: string; weights: SatisfactionWeights; expected: number; parties: Record<string, number> }>([
    {
      case: 'equal weights',
      weights: {},
      // supplier (70+90)/2 = 80; manufacturer (50+90)/2 = 70; retailer 40 → (80+70+40)/3
      expected: 63.33,
      parties: { supplier: 80, manufacturer: 70, retailer: 40 },
    },
    {
      case: 'party and department weights',
      weights: {
        parties: { supplier: 5, manufacturer: 3, retailer: 2 },
        departments: { supplier: { logistics: 3, purchasing: 1 }, manufacturer: { planning: 1, quality: 3 } },
      },
      // supplier .75·70 + .25·90 = 75; manufacturer .25·50 + .75·90 = 80; retailer 40 → .5·75 + .3·80 + .2·40
      expected: 69.5,
      parties: { supplier: 75, manufacturer: 80, retailer: 40 },
    },
    {
      case: 'a party without a weight counts 0 once weights are given',
      weights: { parties: { supplier: 1, manufacturer: 1 } },
      expected: 75,
      parties: { supplier: 80, manufacturer: 70, retailer: 40 },
    },
  ])('$case', ({ weights, expected, parties }) => {
    const s = satisfactionIndex(answers, weights);
    expect(s.index).toBe(expected);
    expect(Object.fromEntries(s.parties.map((p) => [p.party, p.score]))).toEqual(parties);
    expect(s.formula).toMatch(/^S = Σp Wp · Σd wp,d · sp,d/);
  });

  it('drills down to the answers of each department', () => {
    const s = satisfactionIndex(answers);
    const supplier = s.parties.find((p) => p.party === 'supplier');
    expect(supplier?.departments).toEqual([
      { department: 'logistics', weight: 0.5, score: 70, answers: ['r1', 'r2'] },
      { department: 'purchasing', weight: 0.5, score: 90, answers: ['r3'] },
    ]);
  });

  it('renormalises over what has answers, and is null without any', () => {
    const s = satisfactionIndex([a('supplier', 'logistics', 60)], { parties: { supplier: 1, retailer: 3 } });
    expect(s.index).toBe(60);
    expect(satisfactionIndex([]).index).toBeNull();
  });
});

describe('normalise', () => {
  it('maps CSAT 1–5, NPS 0–10 and stars to 0–100 and refuses answers off the scale', () => {
    expect(normalise(4, 1, 5)).toBe(75);
    expect(normalise(9, 0, 10)).toBe(90);
    expect(() => normalise(6, 1, 5)).toThrow('answer 6 is outside its scale 1–5');
  });
});
