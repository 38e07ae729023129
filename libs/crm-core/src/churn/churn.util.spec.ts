import { churnSignal, serviceSignals } from './churn.util';

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

describe('service churn signals', () => {
  const none = {
    complaints: 0,
    complaintBaseline: [],
    onTime: null,
    onTimeBaseline: null,
    satisfaction: null,
    satisfactionBaseline: null,
    failedShipments: [],
  };

  it('flags rising complaints, an on-time drop and a satisfaction drop with their numbers', () => {
    const s = serviceSignals({
      ...none,
      complaints: 4,
      complaintBaseline: [1, 0, 2, 1, 1, 1],
      onTime: 0.82,
      onTimeBaseline: 0.97,
      satisfaction: 55,
      satisfactionBaseline: 80,
    });
    expect(s.map((x) => x.signal)).toEqual(['complaints', 'on-time-delivery', 'satisfaction']);
    expect(s[0].reason).toBe('complaints rose: 4 this month against a 6-month mean of 1.0');
    expect(s[1].reason).toBe('on-time delivery fell to 82.0 % from 97.0 % (15.0 points)');
    expect(s[2].reason).toBe('satisfaction fell to 55.0 from 80.0 (0–100)');
  });

  it('does not flag small moves or a single complaint', () => {
    expect(
      serviceSignals({
        ...none,
        complaints: 1,
        complaintBaseline: [0, 0],
        onTime: 0.95,
        onTimeBaseline: 0.99,
        satisfaction: 75,
        satisfactionBaseline: 80,
      }),
    ).toEqual([]);
    expect(serviceSignals({ ...none, complaints: 3, complaintBaseline: [2, 2, 2] })).toEqual([]);
  });

  it('marks every party of a failed shipment', () => {
    const s = serviceSignals({
      ...none,
      failedShipments: [{ case: 'C-000001', type: 'loss', role: 'consignee', shipment: 'tms:x/S1' }],
    });
    expect(s).toEqual([
      {
        signal: 'failed-shipment',
        reason: 'shipment tms:x/S1 failed (loss, case C-000001); this customer was its consignee',
      },
    ]);
  });
});
