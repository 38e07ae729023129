import { classifyAbc, customerValue, lifecycleStage } from './segment.util';

describe('classifyAbc', () => {
  it('classes by Pareto share of revenue with the default 80/15/5 cut-offs', () => {
    const r = classifyAbc([
      { customerId: 'a', revenue: 500 },
      { customerId: 'b', revenue: 300 },
      { customerId: 'c', revenue: 100 },
      { customerId: 'd', revenue: 60 },
      { customerId: 'e', revenue: 40 },
    ]);
    expect(r.map((x) => [x.customerId, x.abc, Number(x.cumulative.toFixed(2))])).toEqual([
      ['a', 'A', 0.5],
      ['b', 'A', 0.8],
      ['c', 'B', 0.9],
      ['d', 'B', 0.96],
      ['e', 'C', 1],
    ]);
  });

  it('takes other cut-offs, and classes every customer once even without revenue', () => {
    const r = classifyAbc(
      [
        { customerId: 'a', revenue: 70 },
        { customerId: 'b', revenue: 30 },
        { customerId: 'z', revenue: 0 },
      ],
      { a: 0.5, b: 0.3 },
    );
    expect(r.map((x) => x.abc)).toEqual(['A', 'B', 'C']);
    expect(classifyAbc([]).length).toBe(0);
  });
});

describe('lifecycleStage', () => {
  it.each([
    [{ recent: 2, previous: 0, ageDays: 40, windowDays: 90 }, 'trial'],
    [{ recent: 12, previous: 6, ageDays: 400, windowDays: 90 }, 'formation'],
    [{ recent: 10, previous: 9, ageDays: 400, windowDays: 90 }, 'stable'],
    [{ recent: 3, previous: 10, ageDays: 400, windowDays: 90 }, 'decline'],
  ])('%o is %s', (inputs, stage) => {
    const r = lifecycleStage(inputs);
    expect(r.stage).toBe(stage);
    expect(r.reason.length).toBeGreaterThan(10);
  });
});

describe('customer value', () => {
  const base = {
    revenueRecent: 100,
    revenuePrevious: 100,
    revenue12m: 1000,
    cost12m: 900,
    lifecycle: 'stable' as const,
  };

  it.each([
    [{ cost12m: 800 }, 'profitable', /margin 20.0 % >= 15 %/],
    [{ revenueRecent: 120 }, 'growth', /growth 20.0 % >= 10 %/],
    [{}, 'low-profit-low-growth', /margin 10.0 % < 15 %, growth 0.0 %/],
    [{ cost12m: null }, null, /no cost data/],
    [{ cost12m: null, revenueRecent: 150 }, 'growth', /growth 50.0 %/],
  ])('%j → %s', (change, cls, reason) => {
    const v = customerValue({ ...base, ...change });
    expect(v.valueClass).toBe(cls);
    expect(v.reason).toMatch(reason);
    if (cls) expect(v.policy).toMatch(/^(Protect|Develop|Maintain)/);
  });

  it('computes CLV as the documented discounted sum', () => {
    // m = 100 (12-month margin), r = 0.85, d = 0.08, H = 5
    const expected = [1, 2, 3, 4, 5].reduce((s, t) => s + (100 * 0.85 ** (t - 1)) / 1.08 ** t, 0);
    expect(customerValue(base).clv).toBeCloseTo(expected, 2);
    expect(customerValue({ ...base, lifecycle: 'decline' }).clv).toBeLessThan(expected);
    // Without cost data: revenue × 12 %.
    expect(customerValue({ ...base, cost12m: null }).clv).toBeCloseTo(expected * 1.2, 2);
  });
});
