import { ConnectorError } from '@tradelane/connector-sdk';
import page from './__fixtures__/orders-page.json';
import { mapPage } from './example-http.mapper';

describe('mapPage', () => {
  it('maps an orders page (captured from the example source) to canonical records', () => {
    expect(mapPage('orders', page.items)).toMatchInlineSnapshot(`
      [
        {
          "key": "SO-1001",
          "occurredAt": "2026-03-02T08:16:03.120Z",
          "payload": {
            "currency": "EUR",
            "customerExternalId": "EX000042",
            "externalId": "SO-1001",
            "lines": [
              {
                "quantity": 4,
                "sku": "PAL-EUR-1",
                "unitPrice": 12.5,
              },
              {
                "quantity": 20,
                "sku": "BOX-40",
                "unitPrice": 1.75,
              },
            ],
            "orderedAt": "2026-03-02T08:15:00.000Z",
            "requiredAt": "2026-03-05T16:00:00.000Z",
          },
          "type": "order.upserted",
        },
      ]
    `);
  });

  it('names the item and field of a malformed record (permanent error)', () => {
    const bad = [{ ...page.items[0] }, { ...page.items[0], updatedAt: 'yesterday' }];
    let err: ConnectorError | undefined;
    try {
      mapPage('orders', bad);
    } catch (e) {
      err = e as ConnectorError;
    }
    expect(err).toMatchObject({ kind: 'permanent', field: 'items[1].updatedAt' });
    expect(err?.message).toBe('items[1].updatedAt is not a date: "yesterday"');
    expect(() => mapPage('customers', [{ id: 'X', updatedAt: '2026-01-01T00:00:00Z' }])).toThrow(
      'items[0].name is missing',
    );
    expect(() => mapPage('customers', [null])).toThrow('items[0] is not an object');
  });
});
