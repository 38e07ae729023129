import { orderTotal } from './order-total.util';

describe('orderTotal', () => {
  it('sums quantity x price x (1 - discount) without float drift', () => {
    expect(orderTotal([{ sku: 'a', quantity: 3, unitPrice: 0.1 }])).toBe('0.3000');
    expect(
      orderTotal([
        { sku: 'a', quantity: 12, unitPrice: 14, discount: 0.25 },
        { sku: 'b', quantity: 1, unitPrice: 9.8 },
      ]),
    ).toBe('135.8000');
  });

  it('is null without lines', () => {
    expect(orderTotal(undefined)).toBeNull();
    expect(orderTotal([])).toBeNull();
  });
});
