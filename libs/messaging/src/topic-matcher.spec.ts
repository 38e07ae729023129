import { topicMatches } from './topic-matcher';

describe('topicMatches', () => {
  it.each([
    ['#', 'erp.order.upserted.v1', true],
    ['#', '', true],
    ['erp.#', 'erp.order.upserted.v1', true],
    ['erp.#', 'erp', true],
    ['*.order.upserted.v1', 'erp.order.upserted.v1', true],
    ['*.order.upserted.v1', 'erp.customer.upserted.v1', false],
    ['*.order.upserted.v1', 'x.erp.order.upserted.v1', false],
    ['#.v1', 'tms.shipment.status-changed.v1', true],
    ['#.v1', 'tms.shipment.status-changed.v2', false],
    ['erp.*', 'erp.order.upserted', false],
    ['erp.#.v1', 'erp.v1', true],
    ['a.b', 'a.b', true],
    ['a.b', 'a.bb', false],
  ])('%s ~ %s = %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});
