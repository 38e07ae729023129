import { DEFAULT_SERVICE_COST, lostSales } from './service-cost.util';

describe('customer service cost', () => {
  it('sums revenue lost by customers after failures, split over causes, plus lost prospects', () => {
    const r = lostSales(
      [
        { customerId: 'a', name: 'A', causes: ['damage', 'delay', 'damage'], before: 900, after: 300 },
        { customerId: 'b', name: 'B', causes: ['kpi:on_time_delivery'], before: 200, after: 0 },
        { customerId: 'c', name: 'C', causes: ['loss'], before: 100, after: 150 },
      ],
      1000,
      DEFAULT_SERVICE_COST,
    );
    expect(r.fromCustomers).toBe(800); // 600 + 200; C grew
    expect(r.byCause).toEqual({ damage: 300, delay: 300, 'kpi:on_time_delivery': 200, loss: 0 });
    expect(r.lostProspects).toBe(300); // 3 customers × 2 told × 5 % × 1000
    expect(r.total).toBe(1100);
    expect(r.churned).toBe(1);
    expect(r.customers.map((c) => [c.customerId, c.lost, c.churned])).toEqual([
      ['a', 600, false],
      ['b', 200, true],
    ]);
  });
});
