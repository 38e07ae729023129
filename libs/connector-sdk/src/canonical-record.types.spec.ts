/**
 * A record's payload is typed by its contract: a mapper returning the wrong shape for its `type`
 * does not compile. The `@ts-expect-error` lines are the assertions: the type-check step of the
 * test command (`npm run check`, tsc over every spec) fails if any of them stops being an error.
 */
import { CanonicalRecord } from './define-connector';

const at = '2026-11-02T10:00:00Z';

it('types records by their contract (checked by tsc in the test command)', () => {
  const order: CanonicalRecord = {
    type: 'order.upserted',
    key: 'SO-1',
    occurredAt: at,
    payload: { externalId: 'SO-1', customerExternalId: 'C-1', orderedAt: at },
  };
  const wrongShape: CanonicalRecord = {
    type: 'order.upserted',
    key: 'SO-2',
    occurredAt: at,
    // @ts-expect-error an order has no `name` (a customer's payload under an order's type)
    payload: { externalId: 'SO-2', name: 'Alfreds', customerExternalId: 'C-1', orderedAt: at },
  };
  const missing: CanonicalRecord = {
    type: 'order.upserted',
    key: 'SO-3',
    occurredAt: at,
    // @ts-expect-error an order without its customer and date
    payload: { externalId: 'SO-3' },
  };
  const unknownType: CanonicalRecord = {
    // @ts-expect-error a record type no contract defines
    type: 'teapot.brewed',
    key: 'T-1',
    occurredAt: at,
    // @ts-expect-error no payload type fits a type no contract defines
    payload: { externalId: 'T-1' },
  };
  expect([order, wrongShape, missing, unknownType].map((r) => r.type)).toEqual([
    'order.upserted',
    'order.upserted',
    'order.upserted',
    'teapot.brewed',
  ]);
});
