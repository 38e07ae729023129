import { churnSignal } from './churn.util';

const steady = (n: number, v = 10) => Array<number>(n).fill(v);

describe('churnSignal', () => {
  it('flags monthly orders 50 % below the six-month baseline, with the numbers', () => {
    const s = churnSignal([...steady(18), 4]);
    expect(s).toMatchObject({ flagged: true, current: 4, baseline: 10, ratio: 0.4 });
    expect(s.reason).toBe(
      'order volume fell: 4 orders this month against a 6-month baseline of 10.0 (40 %); last year the same month was at 100 %',
    );
  });

  it('does not flag a seasonal customer whose drop matches last year', () => {
    // 19 months: last year's same month (index 6) dropped to 3 as well.
    const months = [...steady(6), 3, ...steady(11), 4];
    const s = churnSignal(months);
    expect(s.flagged).toBe(false);
    expect(s.reason).toMatch(/^seasonal: .* last year was at 30 % of its baseline/);
  });

  it('does not flag a small dip or a customer without a baseline', () => {
    expect(churnSignal([...steady(18), 6]).flagged).toBe(false);
    expect(churnSignal([0, 0, 0, 2]).flagged).toBe(false);
    expect(churnSignal([...steady(6), 2]).flagged).toBe(true); // no last year: judged on the baseline alone
  });
});
