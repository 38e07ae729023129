import * as fs from 'node:fs';
import * as path from 'node:path';
import { northwindToEnvelopes, rows, sampleShiftDays } from './northwind.mapper';

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

  it('derives a delivery and an invoice per shipped order from its dates, totals and freight', () => {
    const events = (type: string, key: string) =>
      envelopes
        .filter((e) => e.type === type && e.key === key)
        .map((e) => ({ at: e.occurredAt, ...(e.payload as object) }));
    // 10248: shipped 1996-07-16 by Federal Shipping (3 days), required 1996-08-01: on time.
    expect(events('erp.delivery.status-changed.v1', 'SHP-10248')).toEqual([
      expect.objectContaining({
        status: 'PICKED_UP',
        at: '1996-07-16T08:00:00.000Z',
        orderExternalId: '10248',
      }),
      expect.objectContaining({
        status: 'DELIVERED',
        at: '1996-07-19T11:00:00.000Z',
        promisedDate: '1996-08-01',
      }),
    ]);
    // 10249 lines 1863.40 (9 x 18.6 + 40 x 42.4) + freight 11.61; shipped 1996-07-10, due 30 days later, paid.
    expect(events('erp.invoice.upserted.v1', 'INV-10249')).toEqual([
      expect.objectContaining({
        totalAmount: 1875.01,
        paidAmount: 1875.01,
        status: 'PAID',
        issuedAt: '1996-07-10T00:00:00.000Z',
        dueAt: '1996-08-09T00:00:00.000Z',
      }),
    ]);
    // Shipped after its required date: delivered late.
    const late = envelopes.filter((e) => {
      const p = e.payload as { status?: string; promisedTo?: string };
      return (
        e.type === 'erp.delivery.status-changed.v1' &&
        p.status === 'DELIVERED' &&
        e.occurredAt > (p.promisedTo ?? '')
      );
    });
    expect(late.length).toBeGreaterThan(20);
    // An order not shipped has a planned delivery and no invoice; some invoices stay open.
    expect(events('erp.delivery.status-changed.v1', 'SHP-11008')).toEqual([
      expect.objectContaining({ status: 'PLANNED' }),
    ]);
    expect(events('erp.invoice.upserted.v1', 'INV-11008')).toEqual([]);
    const open = envelopes.filter(
      (e) => e.type === 'erp.invoice.upserted.v1' && (e.payload as { status: string }).status === 'OPEN',
    );
    expect(open.length).toBeGreaterThan(10);
    // ALFKI's latest delivery reported damaged the day before the data set's "as of" day.
    expect(events('erp.delivery.status-changed.v1', 'SHP-11011').at(-1)).toMatchObject({
      status: 'EXCEPTION',
      exceptionType: 'DAMAGE',
    });
  });

  it('moves every date by whole weeks so the newest order is 3 to 9 days before the load day', () => {
    const loadedAt = new Date('2026-12-01T08:30:00Z');
    const shifted = northwindToEnvelopes(
      {
        customers: read('customers.csv'),
        orders: read('orders.csv'),
        orderDetails: read('order-details.csv'),
        shippers: read('shippers.csv'),
      },
      { loadedAt },
    );
    const days = sampleShiftDays(new Date('1998-05-06T00:00:00Z'), loadedAt);
    expect(days % 7).toBe(0);
    const newest = Math.max(
      ...shifted
        .filter((e) => e.type === 'erp.order.upserted.v1')
        .map((e) => Date.parse((e.payload as { orderedAt: string }).orderedAt)),
    );
    const age = (Date.parse('2026-12-01T00:00:00Z') - newest) / 86_400_000;
    expect(age).toBeGreaterThanOrEqual(3);
    expect(age).toBeLessThan(10);
    // Same weekday as in the export: 1998-05-06 was a Wednesday.
    expect(new Date(newest).getUTCDay()).toBe(3);
    // Deterministic: the same load day gives the same dates.
    const again = northwindToEnvelopes(
      {
        customers: read('customers.csv'),
        orders: read('orders.csv'),
        orderDetails: read('order-details.csv'),
        shippers: read('shippers.csv'),
      },
      { loadedAt: new Date('2026-12-01T23:59:00Z') },
    );
    expect(again.map((e) => e.occurredAt)).toEqual(shifted.map((e) => e.occurredAt));
    // The problem reports are from the day before loading, so they open cases (within the window).
    const damage = shifted.find((e) => (e.payload as { exceptionType?: string }).exceptionType === 'DAMAGE');
    expect(damage?.occurredAt).toBe('2026-11-30T10:00:00.000Z');
  });
});
