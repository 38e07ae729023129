import * as fs from 'node:fs';
import * as path from 'node:path';
import { northwindToEnvelopes, rows } from './northwind.mapper';

// The bundled sample (config/sample/northwind, copied from shared fixtures with its SOURCES rows).
const dir = path.resolve(__dirname, '../../../../config/sample/northwind');
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

describe('Northwind sample mapping', () => {
  const envelopes = northwindToEnvelopes({
    customers: read('customers.csv'),
    orders: read('orders.csv'),
    orderDetails: read('order-details.csv'),
    shippers: read('shippers.csv'),
  });
  const customers = envelopes.filter((e) => e.type === 'erp.customer.upserted.v1');
  const orders = envelopes.filter((e) => e.type === 'erp.order.upserted.v1');

  it('maps every customer and order, customers first', () => {
    expect(customers).toHaveLength(91);
    expect(orders).toHaveLength(830);
    expect(envelopes.findIndex((e) => e.type === 'erp.order.upserted.v1')).toBe(91);
  });

  it('repairs unquoted commas in addresses instead of dropping the row', () => {
    const blonp = customers.find((e) => e.key === 'BLONP');
    expect(blonp?.payload).toMatchObject({
      street: '24, place Kléber',
      city: 'Strasbourg',
      postalCode: '67000',
      country: 'France',
    });
    const hanar = orders.find((e) => e.key === '10250');
    expect(hanar?.payload).toMatchObject({ customerExternalId: 'HANAR', carrier: 'United Package' });
  });

  it('turns NULL into absent values and zone-less dates into UTC', () => {
    const alfki = customers.find((e) => e.key === 'ALFKI');
    expect(alfki?.payload).not.toHaveProperty('region');
    const unshipped = orders.find((e) => e.key === '11008');
    expect(unshipped?.payload).toMatchObject({ orderedAt: '1998-04-08T00:00:00.000Z' });
    expect((unshipped?.payload as { shippedAt?: string }).shippedAt).toBeUndefined();
  });

  it('keeps order lines and resolves the carrier', () => {
    const o = orders.find((e) => e.key === '10248')?.payload as {
      lines: unknown[];
      carrier: string;
      freight: number;
    };
    expect(o.lines).toEqual([
      { sku: '11', quantity: 12, unitPrice: 14, discount: 0 },
      { sku: '42', quantity: 10, unitPrice: 9.8, discount: 0 },
      { sku: '72', quantity: 5, unitPrice: 34.8, discount: 0 },
    ]);
    expect(o).toMatchObject({ carrier: 'Federal Shipping', freight: 32.38 });
  });

  it('names the line of a row it cannot repair', () => {
    expect(() => rows('a,b,c\n1,2\n', 'b')).toThrow('line 2: 2 fields where the header has 3');
  });
});
