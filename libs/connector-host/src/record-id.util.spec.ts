import { UUID_V7_PATTERN } from '@tradelane/contracts';
import { recordMessageId } from './record-id.util';

describe('recordMessageId', () => {
  const id = (payload: object, at = '2026-03-02T08:16:03.120Z') =>
    recordMessageId('example-http:shop', 'order.upserted', 'SO-1', at, payload);

  it('is a UUIDv7 carrying the event time, the same for the same version', () => {
    const a = id({ total: 1 });
    expect(a).toMatch(UUID_V7_PATTERN);
    expect(a).toBe(id({ total: 1 }));
    expect(parseInt(a.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.parse('2026-03-02T08:16:03.120Z'));
  });

  it('differs when the version differs (payload or time)', () => {
    expect(id({ total: 2 })).not.toBe(id({ total: 1 }));
    expect(id({ total: 1 }, '2026-03-02T08:16:04.000Z')).not.toBe(id({ total: 1 }));
  });
});
